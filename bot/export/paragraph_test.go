package export

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// element is a parsed HTML element with its children, as far as the
// structure check needs.
type element struct {
	name     string
	attr     map[string]string
	text     string
	children []*element
}

// parseHTML reads a page with the standard library's XML decoder in its
// HTML mode (void elements closed, HTML entities known), strictly enough
// that a tag left open or closed twice fails.
func parseHTML(t *testing.T, page []byte) *element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	root := &element{name: "#root"}
	stack := []*element{root}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the page does not parse: %v", err)
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.attr[a.Name.Local] = a.Value
			}
			top.children = append(top.children, e)
			stack = append(stack, e)
		case xml.EndElement:
			if top.name != tok.Name.Local {
				t.Fatalf("</%s> closes <%s>", tok.Name.Local, top.name)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text += string(tok)
		}
	}
	if len(stack) != 1 {
		t.Fatalf("unclosed <%s>", stack[len(stack)-1].name)
	}
	return root
}

// all returns the elements named name under e, in document order.
func (e *element) all(name string) []*element {
	var out []*element
	for _, c := range e.children {
		if c.name == name {
			out = append(out, c)
		}
		out = append(out, c.all(name)...)
	}
	return out
}

// textOf is all the text under e.
func (e *element) textOf() string {
	s := e.text
	for _, c := range e.children {
		s += c.textOf()
	}
	return s
}

func TestParagraphIsAPrintablePageWithEverySection(t *testing.T) {
	in := values(t, "privacy, gelijkheid, toegankelijkheid", []int{3, 2, 1}, 4)
	in.Poll.Question = "Mag de gemeente <script>alert(1)</script> **camera's** ophangen?"
	in.Members = 20
	md, page, err := Paragraph(in, words{})
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, page)
	html := doc.all("html")
	if len(html) != 1 || html[0].attr["lang"] != "nl" {
		t.Fatalf("no <html lang=nl>")
	}
	if metas := doc.all("meta"); len(metas) == 0 || metas[0].attr["charset"] != "utf-8" {
		t.Error("no <meta charset=utf-8>")
	}
	if style := doc.all("style"); len(style) != 1 || !strings.Contains(style[0].text, "@page") || !strings.Contains(style[0].text, "A4") {
		t.Error("no print style with @page A4")
	}
	for _, tag := range []string{"script", "img", "link", "iframe"} {
		if n := len(doc.all(tag)); n > 0 {
			t.Errorf("%d <%s> in the page; it must load and run nothing", n, tag)
		}
	}
	if q := doc.all("blockquote"); len(q) != 1 || q[0].textOf() != in.Poll.Question {
		t.Errorf("the casus is not quoted as typed: %v", q)
	}
	var sections []string
	for _, h := range doc.all("h2") {
		sections = append(sections, h.textOf())
	}
	want := "export.doc.values|export.doc.result|export.doc.tensions|export.doc.questions|export.doc.accountability"
	if got := strings.Join(sections, "|"); got != want {
		t.Errorf("sections %s\nwant     %s", got, want)
	}
	if subs := doc.all("h3"); len(subs) != 3 {
		t.Errorf("%d values under the values weighed, want 3", len(subs))
	}
	tables := doc.all("table")
	if len(tables) != 1 || len(tables[0].all("th")) != 4 || len(tables[0].all("tr")) != 1+3 {
		t.Fatalf("the result table: %d tables", len(tables))
	}
	if num := tables[0].all("td")[2]; num.attr["class"] != "num" || num.text != "3" {
		t.Errorf("the first count cell: %+v", num)
	}
	body := doc.all("body")[0].textOf()
	for _, want := range []string{"export.doc.voters_of(4,20)", "export.doc.opinions", "export.doc.offmap_value",
		"export.doc.tension_rule", "export.doc.questions_link", "export.doc.additions_offmap(toegankelijkheid)",
		"export.doc.source(" + kb.Citation() + ")"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}

	// The Markdown holds the same, with what people typed escaped.
	m := string(md)
	for _, want := range []string{"# export.doc.title.waarden\n", "> Mag de gemeente \\<script\\>alert(1)\\</script\\> \\*\\*camera's\\*\\* ophangen?\n",
		"## export.doc.result\n", "|---|---|---:|---:|\n", "_export.doc.tension\\_rule_\n"} {
		if !strings.Contains(m, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, m)
		}
	}
}

func TestParagraphShowsHowViewsMovedSinceEarlierRounds(t *testing.T) {
	in := values(t, "privacy, orde", []int{3, 1}, 4)
	first := values(t, "privacy, orde", []int{1, 3}, 4)
	first.Poll.ID, first.Poll.Created = "xy7z", first.Poll.Created.AddDate(0, -2, 0)
	in.Earlier = []Round{{first.Poll, first.Tally}}
	md, _, err := Paragraph(in, words{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## export.doc.rounds\n", "| export.doc.col.option | export.doc.round(xy7z,2026-09-23 09:00) | export.doc.round\\_now(ab3k) | export.doc.col.change |",
		"| Privacy | export.doc.percent(25) | export.doc.percent(75) | export.doc.points(50) |", "| export.doc.col.voters | 4 | 4 |  |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestParagraphOfAStatementSaysTheAnswers(t *testing.T) {
	md, _, err := Paragraph(statement(t, 2, 1, 1), words{})
	if err != nil {
		t.Fatal(err)
	}
	m := string(md)
	if !strings.Contains(m, "export.doc.answers(4,export.doc.answer(eens,export.doc.count(export.votes(2),50)), ") || strings.Contains(m, "export.doc.values") || strings.Contains(m, "export.doc.max") {
		t.Errorf("statement paragraph:\n%s", m)
	}
}

func TestExportsRefuseCountsThatAreHidden(t *testing.T) {
	in := values(t, "privacy, orde", []int{1, 0}, 1)
	in.Poll.Hidden, in.Poll.Closed = true, false
	in.Poll.ClosesAt = in.Now.Add(time.Hour)
	if _, _, err := Paragraph(in, words{}); !errors.Is(err, poll.ErrCountsHidden) {
		t.Errorf("paragraph: %v", err)
	}
	if _, err := JSON(in); !errors.Is(err, poll.ErrCountsHidden) {
		t.Errorf("JSON: %v", err)
	}
}

func TestJSONHasTheResultAsData(t *testing.T) {
	in := values(t, "privacy, gelijkheid", []int{2, 1}, 3)
	data, err := JSON(in)
	if err != nil {
		t.Fatal(err)
	}
	var got JSONPoll
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != "ab3k" || !got.Closed || got.Voters != 3 || got.Creator != "Anna" || len(got.Options) != 2 ||
		got.Options[0].Percent != 66.7 || got.Options[0].Cluster != "Vrijheid" || len(got.Tensions) != 1 || got.Citation == "" {
		t.Errorf("%+v", got)
	}
	if got.ClosedAt.Format(time.RFC3339) != "2026-11-23T10:00:00+01:00" {
		t.Errorf("closed at %s", got.ClosedAt)
	}
}
