/** The support page's styles: plain, readable, no external fonts. */
export const SUPPORT_PAGE_STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d232a; }
h1 { font-size: 1.5rem; margin-bottom: 0; } header p { margin-top: .25rem; color: #55606b; }
form { display: grid; grid-template-columns: 1fr 1fr auto; gap: .75rem; align-items: end; }
label { display: flex; flex-direction: column; font-size: .85rem; gap: .25rem; }
input, button { font: inherit; padding: .45rem .6rem; } button { cursor: pointer; }
#notice { padding: .75rem 1rem; border-radius: 6px; background: #fdecea; border: 1px solid #f5c2c0; }
#notice.info { background: #eef4fd; border-color: #c4d8f5; }
.status { font-size: 1.4rem; margin: .25rem 0; } .meaning { color: #55606b; margin-top: 0; }
.s2 [data-field=status] { color: #1a7f37; } .s4 [data-field=status] { color: #b35900; } .s5 [data-field=status] { color: #c62828; }
dl { display: grid; grid-template-columns: 11rem 1fr; gap: .3rem 1rem; } dt { color: #55606b; } dd { margin: 0; }
pre { margin: 0; white-space: pre-wrap; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e6e8; }
tr.current { background: #fff6d6; font-weight: 600; } #spike.inside { color: #c62828; font-weight: 600; }
`;
