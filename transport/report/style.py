"""The report's stylesheet, inlined into report.html (no external fonts or files)."""

CSS = """
:root { --ink:#1f2328; --muted:#59636e; --rule:#d8dee4; --soft:#f6f8fa; --accent:#1b365d;
  --ok:#1a7f37; --warn:#9a6700; --bad:#b42318; --info:#0b5cad; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #ffffff;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 64px; }
header.top { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 18px; }
header.top .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px;
  color: var(--muted); margin: 0 0 4px; }
h1 { font-size: 27px; line-height: 1.25; margin: 0 0 8px; color: var(--accent); }
h2 { font-size: 20px; margin: 38px 0 12px; padding-bottom: 6px;
  border-bottom: 1px solid var(--rule); color: var(--accent); }
h2 .num { color: var(--muted); font-weight: 400; margin-right: 6px; }
h3 { font-size: 16px; margin: 24px 0 8px; }
p { margin: 8px 0; }
.question { font-size: 17px; font-style: italic; margin: 6px 0; }
.meta { color: var(--muted); font-size: 13.5px; }
nav.toc { background: var(--soft); border: 1px solid var(--rule); border-radius: 6px;
  padding: 10px 16px; font-size: 13.5px; }
nav.toc ol { margin: 0; padding-left: 20px; columns: 2; }
nav.toc a { color: var(--info); text-decoration: none; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px;
  margin: 16px 0; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; background: #fff; }
.card .label { font-size: 12px; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); }
.card .value { font-size: 18px; font-weight: 600; margin-top: 2px; }
.card .sub { font-size: 13px; color: var(--muted); }
table.grid { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 13.5px; }
table.grid th { text-align: left; background: var(--soft); font-weight: 600;
  border-bottom: 2px solid var(--rule); padding: 6px 8px; vertical-align: bottom; }
table.grid td { border-bottom: 1px solid var(--rule); padding: 6px 8px; vertical-align: top; }
table.grid tr:last-child td { border-bottom: none; }
td code, p code, li code { font-size: 12.5px; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
code { background: var(--soft); padding: 1px 4px; border-radius: 4px; }
pre.formula { background: var(--soft); border: 1px solid var(--rule); border-left: 4px solid
  var(--accent); border-radius: 4px; padding: 10px 12px; white-space: pre-wrap;
  word-break: break-word; font-size: 13px; margin: 8px 0; }
.math { overflow-x: auto; padding: 10px 4px; font-size: 15px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.b-shared, .b-consistent, .b-yes, .b-met { background: #dafbe1; color: #116329;
  border-color: #aceebb; }
.b-differs, .b-contradicted, .b-no, .b-notmet { background: #ffebe9; color: #a40e26;
  border-color: #ffcecb; }
.b-partial, .b-not_found, .b-warn, .b-missing { background: #fff8c5; color: #7d4e00;
  border-color: #eed888; }
.b-undeclared, .b-not_testable, .b-info { background: #eef1f5; color: #424a53;
  border-color: #d0d7de; }
.notice { border-left: 4px solid var(--info); background: #f1f7fe; padding: 10px 14px;
  margin: 10px 0; border-radius: 0 4px 4px 0; }
.notice.warn { border-color: var(--warn); background: #fff8e6; }
.notice.bad { border-color: var(--bad); background: #fff1f0; }
.notice.ok { border-color: var(--ok); background: #effaf2; }
figure { margin: 12px 0 18px; }
figure svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 6px; }
ol.trace { font-size: 13.5px; padding-left: 26px; }
ol.trace li { margin: 2px 0; }
.sentence { color: var(--muted); font-size: 12.5px; margin-top: 3px; }
.hash { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px;
  word-break: break-all; }
footer { margin-top: 40px; font-size: 12.5px; color: var(--muted); border-top: 1px solid
  var(--rule); padding-top: 10px; }
@media print { main { max-width: none; padding: 0 8mm; } nav.toc { display: none; }
  .math { overflow: visible; font-size: 13px; }
  h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
"""

#: Smaller stylesheet for notebook output (scoped to `.transport-nb`).
NOTEBOOK_CSS = """
.transport-nb { font: 13.5px/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif;
  max-width: 900px; }
.transport-nb h4 { margin: 4px 0 6px; font-size: 15px; }
.transport-nb table { border-collapse: collapse; margin: 4px 0 10px; font-size: 13px; }
.transport-nb th, .transport-nb td { border-bottom: 1px solid #d8dee4; padding: 3px 8px;
  text-align: left; vertical-align: top; }
.transport-nb th { background: #f6f8fa; }
.transport-nb .badge { display: inline-block; padding: 0 7px; border-radius: 999px;
  font-size: 11.5px; font-weight: 600; white-space: nowrap; }
.transport-nb .b-shared, .transport-nb .b-yes, .transport-nb .b-met,
.transport-nb .b-consistent { background: #dafbe1; color: #116329; }
.transport-nb .b-differs, .transport-nb .b-no, .transport-nb .b-notmet,
.transport-nb .b-contradicted { background: #ffebe9; color: #a40e26; }
.transport-nb .b-partial, .transport-nb .b-not_found { background: #fff8c5; color: #7d4e00; }
.transport-nb .b-undeclared, .transport-nb .b-not_testable,
.transport-nb .b-missing { background: #eef1f5; color: #424a53; }
.transport-nb pre { background: #f6f8fa; padding: 6px 8px; white-space: pre-wrap; }
.transport-nb .formula { overflow-x: auto; max-width: 100%; }
"""
