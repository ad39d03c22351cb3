const { Parser, Language } = require('web-tree-sitter');
(async () => {
  await Parser.init();
  const tf = await Language.load('node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
  const y = await Language.load('node_modules/@tree-sitter-grammars/tree-sitter-yaml/tree-sitter-yaml.wasm');
  const p = new Parser(); p.setLanguage(tf);
  const src = process.argv[2] === 'y' ? null : require('fs').readFileSync(process.argv[2],'utf8');
  if (src) { const t = p.parse(src); console.log(t.rootNode.toString()); 
    const w=(n,d)=>{ if(n.isNamed) console.log(' '.repeat(d)+n.type+' '+JSON.stringify(n.text.slice(0,40))+' '+n.startPosition.row+':'+n.startPosition.column+' idx '+n.startIndex); for(const c of n.children) w(c,d+1)}; if(process.argv[3]) w(t.rootNode,0); return; }
  p.setLanguage(y);
  const t2 = p.parse(require('fs').readFileSync(process.argv[3],'utf8'));
  console.log(t2.rootNode.toString());
})();
