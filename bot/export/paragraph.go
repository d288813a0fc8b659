package export

import (
	"strconv"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// The values paragraph is a text for a council proposal (the
// "digitaliseringsparagraaf" the book's question card asks for): the
// casus; the values that were weighed, each with its cluster and the
// book's opinions on it; the result in words and numbers; where the
// tension lies; the follow-up questions of the question cards; how views
// moved if the casus was put to the channel before; and what comes from
// the book and what waardenbot added. It is built once as a list of
// blocks and written as Markdown (to paste) and as HTML (to print).

// blockKind is what a block of the paragraph is.
type blockKind int

const (
	title   blockKind = iota // the document's heading
	section                  // a section heading
	sub                      // a heading within a section
	para                     // a paragraph
	note                     // a paragraph that explains where something comes from, set apart
	quote                    // the casus
	list                     // items
	tbl                      // a table
)

// block is one part of the paragraph. Its text is plain: the renderers
// escape it for their format.
type block struct {
	kind  blockKind
	text  string
	items []string
	head  []string
	rows  [][]string
	num   []bool // right-aligned (number) columns of a table
}

// Paragraph is the values paragraph in Markdown (CommonMark with a table)
// and as an HTML page that prints well on A4. The poll's counts must be
// shown (poll.ErrCountsHidden otherwise).
func Paragraph(in Input, w Words) (markdown, html []byte, err error) {
	if !in.shown() {
		return nil, nil, poll.ErrCountsHidden
	}
	doc := in.document(w)
	return renderMarkdown(doc), renderHTML(doc, w), nil
}

// document is the paragraph as blocks.
func (in *Input) document(w Words) []block {
	p := in.Poll
	d := []block{
		{kind: title, text: w.T("export.doc.title." + string(p.Kind))},
		{kind: quote, text: p.Question},
		{kind: para, text: in.about(w)},
	}
	if p.Kind == poll.Values {
		d = append(d, in.weighed(w)...)
	}
	d = append(d, in.outcome(w)...)
	if p.Kind == poll.Values {
		d = append(d, in.tensions(w)...)
		d = append(d, in.questions(w)...)
	}
	d = append(d, in.rounds(w)...)
	return append(d, in.accountability(w)...)
}

// about says which poll it was, when, who started it and how many took
// part.
func (in *Input) about(w Words) string {
	p := in.Poll
	var s []string
	if in.closed() {
		s = append(s, w.T("export.doc.ran", p.ID, in.when(p.Created), in.when(in.closedAt())))
	} else {
		s = append(s, w.T("export.doc.running", p.ID, in.when(p.Created), in.when(in.Now)))
	}
	if !p.Anon && p.Name != "" {
		s = append(s, w.T("export.doc.by", p.Name))
	}
	if in.Members > 0 {
		s = append(s, w.T("export.doc.voters_of", in.Tally.Voters, in.Members))
	} else {
		s = append(s, w.T("export.doc.voters", in.Tally.Voters))
	}
	if p.Kind == poll.Values {
		s = append(s, w.T("export.doc.max", p.Max))
	}
	if p.Anon {
		s = append(s, w.T("export.doc.anonymous"))
	}
	return strings.Join(s, " ")
}

// weighed lists the values with their clusters and the book's opinions.
func (in *Input) weighed(w Words) []block {
	d := []block{
		{kind: section, text: w.T("export.doc.values")},
		{kind: para, text: w.T("export.doc.values_intro")},
	}
	about := map[string]bool{} // clusters described already
	for _, o := range in.Poll.Options {
		v := value(in.KB, o)
		if v == nil {
			d = append(d, block{kind: sub, text: w.T("export.doc.value", o.Label, w.T("export.offmap"))},
				block{kind: note, text: w.T("export.doc.offmap_value")})
			continue
		}
		d = append(d, block{kind: sub, text: w.T("export.doc.value", o.Label, w.T("export.doc.cluster", v.Cluster.Name))})
		if v.Cluster.Description != "" && !about[v.Cluster.Name] {
			about[v.Cluster.Name] = true
			d = append(d, block{kind: para, text: w.T("export.doc.cluster_about", v.Cluster.Name, v.Cluster.Description)})
		}
		if len(v.Opinions) > 0 {
			items := make([]string, len(v.Opinions))
			for i, op := range v.Opinions {
				items[i] = w.T("export.doc.opinion", op)
			}
			d = append(d, block{kind: para, text: w.T("export.doc.opinions")}, block{kind: list, items: items})
		}
	}
	return d
}

// outcome is the result in words and in a table.
func (in *Input) outcome(w Words) []block {
	d := []block{{kind: section, text: w.T("export.doc.result")}}
	voters := in.Tally.Voters
	count := func(b bar) string {
		return w.T("export.doc.count", w.T("export.votes", b.votes), percent(b.votes, voters))
	}
	switch {
	case in.totalVotes() == 0:
		d = append(d, block{kind: para, text: w.T("export.doc.no_votes")})
	case in.Poll.Kind != poll.Values:
		var parts []string
		for _, b := range in.groups()[0].bars {
			parts = append(parts, w.T("export.doc.answer", b.opt.Label, count(b)))
		}
		d = append(d, block{kind: para, text: w.T("export.doc.answers", voters, join(w, parts))})
	default:
		r := in.Result
		var top, rest []string
		for _, c := range r.Options {
			o, _ := in.Poll.Option(c.Key)
			b := bar{o, c.Votes}
			switch {
			case c.Votes == r.Options[0].Votes:
				top = append(top, o.Label)
			case c.Votes > 0:
				rest = append(rest, w.T("export.doc.answer", o.Label, count(b)))
			}
		}
		n := r.Options[0].Votes
		if len(top) == 1 {
			d = append(d, block{kind: para, text: w.T("export.doc.top_one", top[0], w.T("export.votes", n), percent(n, voters))})
		} else {
			d = append(d, block{kind: para, text: w.T("export.doc.top_many", join(w, top), w.T("export.votes", n), percent(n, voters))})
		}
		if len(rest) > 0 {
			d = append(d, block{kind: para, text: w.T("export.doc.then", join(w, rest))})
		}
		if len(r.Clusters) > 0 {
			var parts []string
			for _, c := range r.Clusters {
				parts = append(parts, w.T("export.doc.answer", c.Name, w.T("export.votes", c.Votes)))
			}
			d = append(d, block{kind: para, text: w.T("export.doc.clusters", join(w, parts))})
		}
	}
	t := block{kind: tbl, num: []bool{false, false, true, true}}
	if in.Poll.Kind == poll.Values {
		t.head = []string{w.T("export.doc.col.value"), w.T("export.doc.col.cluster"), w.T("export.doc.col.votes"), w.T("export.doc.col.share")}
	} else {
		t.head = []string{w.T("export.doc.col.answer"), w.T("export.doc.col.votes"), w.T("export.doc.col.share")}
		t.num = []bool{false, true, true}
	}
	for _, g := range in.groups() {
		for _, b := range g.bars {
			row := []string{b.opt.Label}
			if in.Poll.Kind == poll.Values {
				row = append(row, clusterLabel(w, b.opt))
			}
			t.rows = append(t.rows, append(row, strconv.Itoa(b.votes), w.T("export.doc.percent", percent(b.votes, voters))))
		}
	}
	return append(d, t)
}

// tensions says where the tension lies, and by which rule.
func (in *Input) tensions(w Words) []block {
	r := in.Result
	if len(r.Strong) == 0 {
		return nil
	}
	d := []block{{kind: section, text: w.T("export.doc.tensions")}}
	if len(r.Tensions) == 0 {
		d = append(d, block{kind: para, text: w.T("export.no_tension")})
	} else {
		items := make([]string, len(r.Tensions))
		for i, x := range r.Tensions {
			items[i] = tensionText(w, x)
		}
		d = append(d, block{kind: list, items: items})
	}
	return append(d, block{kind: note, text: w.T("export.doc.tension_rule")})
}

// questions are the follow-up questions of the question cards.
func (in *Input) questions(w Words) []block {
	qs := in.Result.Questions
	if len(qs) == 0 {
		return nil
	}
	items := make([]string, len(qs))
	for i, q := range qs {
		items[i] = w.T("export.doc.question", q.Question, q.Theme, q.Value)
	}
	return []block{
		{kind: section, text: w.T("export.doc.questions")},
		{kind: para, text: w.T("export.doc.questions_intro")},
		{kind: list, items: items},
		{kind: note, text: w.T("export.doc.questions_link")},
	}
}

// rounds shows how views moved when the casus was put to the channel
// before: each option's share of the voters per round, and the change
// since the round before this one.
func (in *Input) rounds(w Words) []block {
	var earlier []Round
	for _, r := range in.Earlier {
		if r.Poll.CountsShown(in.Now) {
			earlier = append(earlier, r)
		}
	}
	if len(earlier) == 0 {
		return nil
	}
	t := block{kind: tbl, head: []string{w.T("export.doc.col.option")}, num: []bool{false}}
	for _, r := range earlier {
		t.head = append(t.head, w.T("export.doc.round", r.Poll.ID, in.when(r.Poll.Created)))
		t.num = append(t.num, true)
	}
	t.head = append(t.head, w.T("export.doc.round_now", in.Poll.ID), w.T("export.doc.col.change"))
	t.num = append(t.num, true, true)
	last := earlier[len(earlier)-1]
	for _, o := range in.Poll.Options {
		row := []string{o.Label}
		for _, r := range earlier {
			row = append(row, roundShare(w, r, o))
		}
		now := percent(in.Tally.Votes[o.Key], in.Tally.Voters)
		change := "–"
		if _, ok := last.Poll.Option(o.Key); ok && last.Tally.Voters > 0 && in.Tally.Voters > 0 {
			change = w.T("export.doc.points", now-percent(last.Tally.Votes[o.Key], last.Tally.Voters))
		}
		t.rows = append(t.rows, append(row, w.T("export.doc.percent", now), change))
	}
	row := []string{w.T("export.doc.col.voters")}
	for _, r := range earlier {
		row = append(row, strconv.Itoa(r.Tally.Voters))
	}
	t.rows = append(t.rows, append(row, strconv.Itoa(in.Tally.Voters), ""))
	return []block{
		{kind: section, text: w.T("export.doc.rounds")},
		{kind: para, text: w.T("export.doc.rounds_intro", len(earlier))},
		t,
	}
}

// roundShare is an option's share of the voters in an earlier round, or
// a dash when that round did not have it.
func roundShare(w Words, r Round, o poll.Option) string {
	if _, ok := r.Poll.Option(o.Key); !ok || r.Tally.Voters == 0 {
		return "–"
	}
	return w.T("export.doc.percent", percent(r.Tally.Votes[o.Key], r.Tally.Voters))
}

// accountability says what comes from the book and what waardenbot
// added.
func (in *Input) accountability(w Words) []block {
	items := []string{}
	if in.KB != nil {
		items = append(items, w.T("export.doc.source", in.KB.Citation()))
	}
	items = append(items, w.T("export.doc.from_book"), w.T("export.doc.additions"))
	var own []string
	for _, o := range in.Poll.Options {
		if in.Poll.Kind == poll.Values && !o.OnMap {
			own = append(own, o.Label)
		}
	}
	if len(own) > 0 {
		items = append(items, w.T("export.doc.additions_offmap", join(w, own)))
	}
	return []block{{kind: section, text: w.T("export.doc.accountability")}, {kind: list, items: items}}
}

// join lists items as a sentence does: "a, b en c".
func join(w Words, items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + w.T("export.and") + items[len(items)-1]
}
