const { Parser, Language } = require('web-tree-sitter');
(async () => {
  await Parser.init();
  const y = await Language.load('node_modules/@tree-sitter-grammars/tree-sitter-yaml/tree-sitter-yaml.wasm');
  const p = new Parser(); p.setLanguage(y);
  const t2 = p.parse(require('fs').readFileSync(process.argv[2],'utf8'));
  const w=(n,d)=>{ console.log(' '.repeat(d)+(n.isNamed?n.type:JSON.stringify(n.type))+' '+JSON.stringify(n.text.slice(0,30))); for(const c of n.children) w(c,d+1)}; w(t2.rootNode,0);
})();
