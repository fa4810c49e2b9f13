/** The support page's styles: plain, readable, no external fonts; one column below 640 px. */
export const SUPPORT_PAGE_STYLE = `
*, *::before, *::after { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d232a; }
h1 { font-size: 1.5rem; margin-bottom: 0; } header p { margin-top: .25rem; color: #55606b; }
form { display: grid; grid-template-columns: 1fr 1fr auto; gap: .75rem; align-items: end; }
label { display: flex; flex-direction: column; font-size: .85rem; gap: .25rem; min-width: 0; }
label > span { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; } label small { color: #55606b; }
input, button { font: inherit; padding: .45rem .6rem; min-width: 0; width: 100%; } button { cursor: pointer; width: auto; }
#notice { padding: .75rem 1rem; border-radius: 6px; background: #fdecea; border: 1px solid #f5c2c0; margin: 1rem 0; \
overflow-wrap: anywhere; }
#notice.info { background: #eef4fd; border-color: #c4d8f5; } #notice .hint { color: #55606b; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; margin: .4rem 0 0; font-size: .9rem; }
[data-field=details] dl.details { margin: 0; }
dl.details dt { font-family: ui-monospace, monospace; color: #55606b; } dl.details dd { margin: 0; }
.status { font-size: 1.4rem; margin: .25rem 0; } .meaning { color: #55606b; margin: 0 0 .4rem; }
.next { background: #f3f6f8; border-left: 4px solid #55606b; padding: .4rem .75rem; margin: .5rem 0 1rem; }
.s2 [data-field=status] { color: #1a7f37; } .s4 [data-field=status] { color: #b35900; } .s5 [data-field=status] { color: #c62828; }
dl.record { display: grid; grid-template-columns: 9rem 1fr; gap: .3rem 1rem; } \
dl.record > dt { color: #55606b; } dl.record > dd { margin: 0; overflow-wrap: anywhere; }
.rel { color: #55606b; white-space: nowrap; } time { white-space: nowrap; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; } \
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e6e8; white-space: nowrap; }
tr.current { background: #fff6d6; font-weight: 600; } #spike.inside { color: #c62828; font-weight: 600; }
#timeline { display: flex; align-items: flex-end; gap: 2px; height: 80px; border-bottom: 1px solid #c9ced3; }
#timeline .minute { flex: 1; height: 100%; display: flex; flex-direction: column; justify-content: flex-end; min-width: 0; }
#timeline .minute.current { outline: 2px solid #1d232a; outline-offset: 1px; }
.seg.c2, .legend .c2::before { background: #4caf50; } .seg.c3, .legend .c3::before { background: #90a4ae; }
.seg.c4, .legend .c4::before { background: #ff9800; } .seg.c5, .legend .c5::before { background: #e53935; }
.legend { font-size: .8rem; color: #55606b; } \
.legend span::before { content: ''; display: inline-block; width: .7rem; height: .7rem; margin-right: .2rem; vertical-align: -1px; }
@media (max-width: 640px) {
  body { margin: 1rem auto; }
  form { grid-template-columns: 1fr; } button { width: 100%; }
  dl.record { grid-template-columns: 1fr; gap: 0; } dl.record > dd { margin-bottom: .5rem; }
  th:nth-child(6), td:nth-child(6), th:nth-child(5), td:nth-child(5) { display: none; }
}
`;
