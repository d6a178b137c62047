const [mod, fn, ...args] = process.argv.slice(2);
const m = await import(`./impls/${mod}.ts`);
const r = await m[fn](...args.map(a => a === 'quick' ? { quick: true } : a));
for (let i = 0; i < 3; i++) console.log(fn, args.join(' '), (await r.run()).toFixed(3));
