import { describePlatform } from './platform-scenarios';

describePlatform('prod');
