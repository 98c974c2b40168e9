import { judgeReply } from '../../lib/deploy/health-probe';

test('health replies: HTTP 200, Redis PONG or NOAUTH pass; anything else fails with what was heard', () => {
  expect(judgeReply({ protocol: 'http', path: '/ready' }, 'HTTP/1.1 200 OK')).toEqual({ ok: true, result: 'ok (HTTP 200 /ready)' });
  expect(judgeReply({ protocol: 'http' }, 'HTTP/1.1 503 Service Unavailable')).toEqual({
    ok: false,
    result: 'FAILED: HTTP/1.1 503 Service Unavailable',
  });
  expect(judgeReply({ protocol: 'redis' }, '+PONG').ok).toBe(true);
  expect(judgeReply({ protocol: 'redis' }, '-NOAUTH Authentication required.').result).toBe('ok (answers; authentication required)');
  expect(judgeReply({ protocol: 'redis' }, undefined)).toEqual({ ok: false, result: 'FAILED: no reply' });
});
