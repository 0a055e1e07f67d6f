#!/usr/bin/env python3
"""Hostile requests against a running site (loopback only), for an archive of any size (docs/reliability.md).
Usage: hostile-requests.py http://127.0.0.1:PORT [N]
Sends N distinct requests of the classes issue #15 names (queries that need the text check, 32-term
queries of common characters, 1,000-character phrases, huge and odd parameters, edge dates), then
32 expensive ones in flight while timing /healthz. Prints the status counts, the slowest requests
and the /healthz latencies; exits 1 on any 5xx other than 503 (shed) or a request over 5 s."""
import concurrent.futures, random, sys, time, urllib.error, urllib.parse, urllib.request

base = sys.argv[1].rstrip('/')
assert urllib.parse.urlparse(base).hostname in ('127.0.0.1', 'localhost', '::1'), 'loopback only'
n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rng = random.Random(20261201)
common = list('的是在了不和有大这中人国上为年们地到以说时要就出会也你对生能而子那得于着下自之')
words = ['china', 'biden', 'hong', 'kong', 'covid', 'a', 'the', 'of', 'vaccine', 'x']

def query():
    kind = rng.randrange(9)
    if kind == 0:
        return '-"' + rng.choice(common + words) + ' "'
    if kind == 1:
        return ' '.join(rng.sample(common, 32))
    if kind == 2:
        return '"' + ''.join(rng.choice(common) for _ in range(rng.randrange(200, 1000))) + '"'
    if kind == 3:
        return '"' + rng.choice(words) + '  ' + rng.choice(common) + '" ' + rng.choice(common)
    if kind == 4:
        return ' '.join('-' + rng.choice(common) for _ in range(rng.randrange(1, 32)))
    if kind == 5:
        return '"' + ' '.join(rng.choice(words) for _ in range(rng.randrange(2, 30))) + '"'
    if kind == 6:
        return ''.join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(1, 300)))
    if kind == 7:
        return rng.choice(common) + ' "' + rng.choice(words)[:1] + ' ' + rng.choice(common) + '"'
    return rng.choice(common) + str(rng.randrange(10**6))

def params():
    p = {'q': query()}
    for k, values in {
        'page': ['1', '2', '50', '999999', '0', '-1', 'x', '1' * 30],
        'size': ['1', '100', '101', '0', 'x'],
        'from': ['1900-01-01', '0001-01-01', '2020-02-30', '9999-12-31', 'x', '2021-01-01'],
        'to': ['9999-12-31', '2100-01-01', '2022-12-31', '0000-00-00'],
        'sort': ['newest', 'relevance', 'x'],
        'lang': ['en', 'zh-Hans', 'zh-Hant', 'xx'],
        'source': ['voachinese.com', 'no-such-source-' + str(rng.randrange(10**9)), '\u202e' * 50],
        'junk' + str(rng.randrange(10**6)): ['1'],
    }.items():
        if rng.random() < 0.3:
            p[k] = rng.choice(values)
    return p

def get(path):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=30) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except Exception as e:
        status = type(e).__name__
    return status, time.monotonic() - started, path

paths = []
for i in range(n):
    endpoint = rng.choice(['/api/search', '/search', '/api/articles', '/'])
    paths.append(endpoint + '?' + urllib.parse.urlencode(params()))

statuses, slow = {}, []
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    for status, took, path in pool.map(get, paths):
        statuses[status] = statuses.get(status, 0) + 1
        slow.append((took, status, path[:120]))
slow.sort(reverse=True)
print('statuses:', dict(sorted(statuses.items(), key=str)))
print('slowest:')
for took, status, path in slow[:5]:
    print(f'  {took * 1000:7.0f} ms {status} {path}')

# 32 expensive requests in flight while /healthz is timed.
heavy = ['/api/search?' + urllib.parse.urlencode({'q': ' '.join(rng.sample(common, 32)), 'page': str(rng.randrange(1, 50))}) for _ in range(64)]
health = []
with concurrent.futures.ThreadPoolExecutor(32) as pool:
    futures = [pool.submit(get, h) for h in heavy]
    time.sleep(0.2)
    for _ in range(20):
        health.append(get('/healthz')[1] * 1000)
        time.sleep(0.05)
    heavy_statuses = [f.result()[0] for f in futures]
health.sort()
print(f'/healthz under 32 in flight: median {health[len(health) // 2]:.1f} ms, max {health[-1]:.1f} ms;',
      'heavy statuses:', {s: heavy_statuses.count(s) for s in set(heavy_statuses)})
bad = [s for s in statuses if isinstance(s, str) or (s >= 500 and s != 503)]
sys.exit(1 if bad or slow[0][0] > 5 else 0)
