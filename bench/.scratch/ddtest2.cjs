const D=require('better-sqlite3');const d=new D('/tmp/dd.sqlite'); if(process.env.CACHE) d.pragma('cache_size=-'+process.env.CACHE); if(process.env.MMAP) d.pragma('mmap_size='+process.env.MMAP);
const t=(label,q,...a)=>{const s=d.prepare(q); s.all(...a); const t0=performance.now(); let r; for(let i=0;i<10;i++) r=s.all(...a); console.log(label, ((performance.now()-t0)/10).toFixed(2),'ms', r.length);};
const cells = process.argv[2];
const m = `{display_name search_keywords bio} : ("depression") AND search_facets : fc3 AND search_facets : fth1 AND search_cells : (${cells})`;
t('match only', `select rowid from directory_provider_fts where directory_provider_fts match ?`, m);
t('match+join', `select p.user_id from directory_provider_fts cross join directory_providers p on p.seq = directory_provider_fts.rowid where directory_provider_fts match ? and p.visible=1 and p.licence_expires_on >= '2026-01-01'`, m);
t('match+join+hl', `select p.user_id, highlight(directory_provider_fts,0,char(1),'') a, highlight(directory_provider_fts,1,char(1),'') b, highlight(directory_provider_fts,2,char(1),'') c from directory_provider_fts cross join directory_providers p on p.seq = directory_provider_fts.rowid where directory_provider_fts match ? and p.visible=1 and p.licence_expires_on >= '2026-01-01'`, m);
t('match+bm25', `select rowid, bm25(directory_provider_fts) from directory_provider_fts where directory_provider_fts match ?`, m);
