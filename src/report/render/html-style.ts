import { PALETTE } from '../document/palette.js';

/** The report's only stylesheet, inlined: the page needs no network and prints well. */
export function reportCss(): string {
  const layers = PALETTE.map(
    (p, i) =>
      `.l${i}{background:${p.fill};color:${p.text}}.hexdump .l${i}.start{box-shadow:inset 2px 0 0 ${p.stroke}}.chip.l${i}{border:1px solid ${p.stroke}}`,
  ).join('\n');
  return `
:root{--ink:#111827;--muted:#4b5563;--line:#e5e7eb;--accent:#1d4ed8;--bg:#f9fafb}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 "DejaVu Sans","Segoe UI",Helvetica,Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
header.top{background:linear-gradient(135deg,#1e3a8a,#2563eb);color:#fff;padding:28px 28px 20px}
header.top .inner{max-width:1180px;margin:0 auto}
header.top h1{margin:0 0 6px;font-size:26px}
header.top p{margin:6px 0;color:#dbeafe}
header.top code{background:rgba(255,255,255,.15);color:#fff}
nav.toc{display:flex;flex-wrap:wrap;gap:6px;margin:14px 0 0}
nav.toc a{color:#fff;text-decoration:none;border:1px solid rgba(255,255,255,.4);border-radius:14px;padding:2px 12px;font-size:13px}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin:18px 0;box-shadow:0 1px 2px rgba(0,0,0,.04)}
h2{margin:0 0 10px;font-size:20px;color:#1e3a8a}
blockquote.question{margin:0 0 12px;padding:8px 14px;border-left:4px solid #93c5fd;background:#eff6ff;color:var(--muted);font-style:italic}
.short-answer{margin:0 0 14px;padding:10px 14px;border-radius:8px;background:#ecfdf5;border:1px solid #a7f3d0;font-size:16px}
.short-answer.problems{background:#fef2f2;border-color:#fecaca}
p{margin:8px 0}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em;background:#f3f4f6;padding:1px 4px;border-radius:4px;word-break:break-word}
pre{margin:10px 0;padding:10px 12px;background:#0f172a;color:#e2e8f0;border-radius:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font:13px/1.45 "DejaVu Sans Mono",Menlo,Consolas,monospace}
pre code{background:none;padding:0;color:inherit}
.note{margin:10px 0;padding:8px 12px;border-radius:8px;background:#fffbeb;border:1px solid #fde68a}
.table-wrap{overflow-x:auto;margin:10px 0}
table{border-collapse:collapse;width:100%;font-size:13.5px}
caption{text-align:left;font-weight:bold;padding:4px 0 6px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6;font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
td:first-child,td.nowrap{white-space:nowrap}
td.nowrap code{white-space:nowrap}
tbody tr:nth-child(even){background:#fafafa}
figure{margin:14px 0;overflow-x:auto}
figcaption{color:var(--muted);font-size:13px;margin-top:6px}
.hexdump{display:inline-block;font:14px/1.7 "DejaVu Sans Mono",Menlo,Consolas,monospace;background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 12px}
.hexrow{white-space:nowrap}
.hexdump .off{color:#6b7280;margin-right:14px}
.hexdump .hex .b{display:inline-block;width:2.6ch;text-align:center;margin-right:1px}
.hexdump .ascii{margin-left:16px}
.hexdump .ascii .b{display:inline-block;width:1.2ch;text-align:center}
.hexdump .pad{background:#f3f4f6;color:#9ca3af}
ul.legend{list-style:none;padding:0;margin:6px 0 8px;display:flex;flex-wrap:wrap;gap:14px}
ul.legend li{display:flex;align-items:center;gap:6px}
.chip{display:inline-block;width:16px;height:16px;border-radius:4px}
.range{color:var(--muted);font-size:13px}
dl.commands dt{margin-top:12px}
dl.commands dd{margin:4px 0 0}
footer{color:var(--muted);font-size:13px;text-align:center;margin-top:24px}
${layers}
@media print{header.top{background:#1e3a8a;-webkit-print-color-adjust:exact;print-color-adjust:exact}section{break-inside:avoid-page}}
`;
}
