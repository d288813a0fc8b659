package export

import (
	"bytes"
	"html"
	"strings"
)

// md escapes what Markdown would read as markup in text people typed or
// the book wrote, on one line: a line break inside a casus would end a
// quote or a list item. (A loop, not a package-level strings.Replacer,
// which would be built by init code at every start of the bot.)
func md(s string) string {
	var sb strings.Builder
	for i, word := range strings.Fields(s) {
		if i > 0 {
			sb.WriteByte(' ')
		}
		for _, r := range word {
			if strings.ContainsRune("\\*_`~[]|#><", r) {
				sb.WriteByte('\\')
			}
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// renderMarkdown writes the blocks as CommonMark (with a GFM table).
func renderMarkdown(doc []block) []byte {
	var b bytes.Buffer
	for i, bl := range doc {
		if i > 0 {
			b.WriteString("\n")
		}
		switch bl.kind {
		case title:
			b.WriteString("# " + md(bl.text) + "\n")
		case section:
			b.WriteString("## " + md(bl.text) + "\n")
		case sub:
			b.WriteString("### " + md(bl.text) + "\n")
		case para:
			b.WriteString(md(bl.text) + "\n")
		case note:
			b.WriteString("_" + md(bl.text) + "_\n")
		case quote:
			b.WriteString("> " + md(bl.text) + "\n")
		case list:
			for _, it := range bl.items {
				b.WriteString("- " + md(it) + "\n")
			}
		case tbl:
			row := func(cells []string) {
				for _, c := range cells {
					b.WriteString("| " + md(c) + " ")
				}
				b.WriteString("|\n")
			}
			row(bl.head)
			for i := range bl.head {
				if i < len(bl.num) && bl.num[i] {
					b.WriteString("|---:")
				} else {
					b.WriteString("|---")
				}
			}
			b.WriteString("|\n")
			for _, r := range bl.rows {
				row(r)
			}
		}
	}
	return b.Bytes()
}

// style makes the page print on A4 as an official document: a serif
// text face, black on white, tables with rules, headings kept with what
// follows them. It asks for no fonts or files from elsewhere.
const style = `@page { size: A4; margin: 2.2cm 2cm; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 11pt; line-height: 1.45; color: #000; background: #fff; max-width: 44em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 17pt; margin: 0 0 .6em; }
h2 { font-size: 13pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #999; padding-bottom: .1em; }
h3 { font-size: 11pt; margin: 1em 0 .2em; }
h1, h2, h3 { page-break-after: avoid; break-after: avoid; }
blockquote { margin: 0 0 1em; padding: .4em 1em; border-left: 3px solid #555; font-style: italic; }
p.note { font-size: 9.5pt; color: #333; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: 10pt; }
th, td { border: 1px solid #888; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr, li { page-break-inside: avoid; break-inside: avoid; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
`

// renderHTML writes the blocks as a whole HTML page, in the bot's
// language, with nothing that runs and nothing loaded from elsewhere.
func renderHTML(doc []block, w Words) []byte {
	var b bytes.Buffer
	esc := html.EscapeString
	heading := ""
	for _, bl := range doc {
		if bl.kind == title {
			heading = bl.text
			break
		}
	}
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + esc(w.T("export.lang")) + "\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"generator\" content=\"waardenbot\">\n")
	b.WriteString("<title>" + esc(heading) + "</title>\n<style>\n" + style + "</style>\n</head>\n<body>\n<main>\n")
	for _, bl := range doc {
		switch bl.kind {
		case title:
			b.WriteString("<h1>" + esc(bl.text) + "</h1>\n")
		case section:
			b.WriteString("<h2>" + esc(bl.text) + "</h2>\n")
		case sub:
			b.WriteString("<h3>" + esc(bl.text) + "</h3>\n")
		case para:
			b.WriteString("<p>" + esc(bl.text) + "</p>\n")
		case note:
			b.WriteString("<p class=\"note\">" + esc(bl.text) + "</p>\n")
		case quote:
			b.WriteString("<blockquote><p>" + esc(bl.text) + "</p></blockquote>\n")
		case list:
			b.WriteString("<ul>\n")
			for _, it := range bl.items {
				b.WriteString("<li>" + esc(it) + "</li>\n")
			}
			b.WriteString("</ul>\n")
		case tbl:
			cell := func(tag string, i int, s string) {
				class := ""
				if i < len(bl.num) && bl.num[i] {
					class = ` class="num"`
				}
				scope := ""
				if tag == "th" {
					scope = ` scope="col"`
				}
				b.WriteString("<" + tag + scope + class + ">" + esc(s) + "</" + tag + ">")
			}
			b.WriteString("<table>\n<thead><tr>")
			for i, h := range bl.head {
				cell("th", i, h)
			}
			b.WriteString("</tr></thead>\n<tbody>\n")
			for _, r := range bl.rows {
				b.WriteString("<tr>")
				for i, c := range r {
					cell("td", i, c)
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</tbody>\n</table>\n")
		}
	}
	b.WriteString("</main>\n</body>\n</html>\n")
	return b.Bytes()
}
