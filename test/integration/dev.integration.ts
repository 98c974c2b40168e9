import { describePlatform } from './platform-scenarios';

describePlatform('dev');
