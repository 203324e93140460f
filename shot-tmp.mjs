import puppeteer from 'puppeteer-core';
const [,, file, out, step, top] = process.argv;
const b = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const p = await b.newPage();
await p.setViewport({ width: 1500, height: 1000 });
const errs = [];
p.on('pageerror', (e) => errs.push(String(e)));
await p.goto('file://' + file);
if (step) { await p.click(`section.cx tr.step[data-index="${step}"]`); }
if (top) await p.evaluate(() => window.scrollTo(0, 0));
await p.screenshot({ path: out });
console.log(errs.join('\n'));
await b.close();
