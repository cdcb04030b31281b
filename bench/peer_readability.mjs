// peer_readability.mjs: Readability.js over HTML pages, for bench/peer_extraction.sh.
//
//   NODE_PATH=... node bench/peer_readability.mjs OUT.jsonl PAGE.html[.gz]...
//
// Readability.js and linkedom are not part of storyline: they are imported from the
// node_modules of a scratch folder named by PEERS_JS (default /work/peers-scratch/js; see
// docs/bench.md). Every page is read and gunzipped into memory first; only the loop of
// (bytes to string as UTF-8, parseHTML, new Readability(document).parse().textContent) is
// timed. Writes {"id","text"} per page to OUT.jsonl and prints one line:
// "extract readability.js pages N bytes B wall S cpu C".
// Exit status: 0; 2 on a usage error; 3 when the peer cannot be loaded.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
if (args.length < 2) {
    console.error('usage: node bench/peer_readability.mjs OUT.jsonl PAGE.html[.gz]...');
    process.exit(2);
}
const peers = process.env.PEERS_JS || '/work/peers-scratch/js';
const require = createRequire(join(peers, 'package.json'));
let Readability, parseHTML;
try {
    ({ Readability } = require('@mozilla/readability'));
    ({ parseHTML } = require('linkedom'));
} catch (e) {
    console.error(`peer_readability.mjs: Readability.js or linkedom is not installed in ${peers} (${e.code || e.message})`);
    process.exit(3);
}

const [outPath, ...paths] = args;
const pages = paths.map((p) => {
    let data = readFileSync(p);
    if (p.endsWith('.gz')) data = gunzipSync(data);
    let name = basename(p);
    for (const end of ['.html.gz', '.htm.gz', '.html', '.htm']) {
        if (name.endsWith(end)) {
            name = name.slice(0, -end.length);
            break;
        }
    }
    return { name, data };
});

const decoder = new TextDecoder('utf-8');
const texts = [];
const w0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
for (const { data } of pages) {
    try {
        const { document } = parseHTML(decoder.decode(data));
        const article = new Readability(document).parse();
        texts.push(article && article.textContent ? article.textContent : '');
    } catch (e) {
        console.error(`peer_readability.mjs: ${e.message}`);
        texts.push('');
    }
}
const wall = Number(process.hrtime.bigint() - w0) / 1e9;
const cu = process.cpuUsage(c0);
const cpu = (cu.user + cu.system) / 1e6;
writeFileSync(outPath, pages.map((p, i) => JSON.stringify({ id: p.name, text: texts[i] }) + '\n').join(''));
const total = pages.reduce((s, p) => s + p.data.length, 0);
console.log(`extract readability.js pages ${pages.length} bytes ${total} wall ${wall.toFixed(4)} cpu ${cpu.toFixed(4)}`);
