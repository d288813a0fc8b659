package export

import (
	"fmt"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// The chart is drawn by this package itself: bars are rectangles, and
// letters come from an atlas of the Go fonts that golang.org/x/image
// rendered ahead of time (package internal/glyphs, embedded as
// glyphs.bin), written out as a palette PNG (png.go). Measured for this
// chart, and recorded in BENCHMARKS.md:
//
//   - gonum.org/v1/plot made the binary 9 MB larger and ran package init
//     functions at every start of the bot (0.3 ms and 180 KB of heap for
//     its default fonts alone, plus LaTeX symbol tables and PDF, EPS and
//     TeX back ends), whether or not a chart was ever made.
//   - Drawing with golang.org/x/image's opentype and image/png at run
//     time cost no start-up time but half a megabyte of resident memory
//     in an idle bot: their package inits (image/png registers itself, the
//     character maps sfnt brings build tables) and data scanned by the
//     garbage collector keep their pages in memory.
//
// With the atlas, the binary links no font or image package, nothing runs
// at start-up, and the atlas (159 KB, compressed) is read only when a
// chart is drawn.
//
// Layout, for a phone: 1080 pixels wide, which a phone shows at about 360
// points (three pixels a point), so 32-pixel text reads as 11-point text.
// One horizontal bar per option with its label above it, so that a long
// value name never squeezes the bar; its count and share next to the
// bar's end; bars grouped by cluster and coloured by it, with a legend;
// the casus as the title; the tensions below.

// Chart sizes in pixels.
const (
	chartWidth     = 1080
	margin         = 56
	barHeight      = 44
	barGap         = 22 // between an option's bar and the next option's label
	groupGap       = 18 // extra space between clusters
	swatch         = 30 // a legend's colour square
	titleLines     = 5  // the casus is cut after this many lines
	maxChartHeight = 4000
)

// colour is the bar colour of an option.
func (in *Input) colour(o poll.Option) rgb {
	if in.Poll.Kind != poll.Values {
		switch o.Key {
		case "eens":
			return agree
		case "oneens":
			return disagree
		}
		return offMap
	}
	if !o.OnMap || in.KB == nil {
		return offMap
	}
	for i, c := range in.KB.Clusters {
		if c.Name == o.Cluster {
			return palette[i%len(palette)]
		}
	}
	return offMap
}

// Chart draws the result of a poll as a PNG, and says in alt everything
// the picture shows, for screen readers. The PNG carries the alt text too
// (an iTXt "Description" chunk), so that a saved file keeps it. It needs
// the counts shown (poll.ErrCountsHidden otherwise); it never shows who
// voted or who started the poll, so an anonymous poll's chart looks like
// any other.
func Chart(in Input, w Words) (png []byte, alt string, err error) {
	if !in.shown() {
		return nil, "", poll.ErrCountsHidden
	}
	f, err := loadFaces()
	if err != nil {
		return nil, "", err
	}
	c := &canvas{f: f, y: margin}
	var a altText
	in.drawTitle(c, w, &a)
	if in.Poll.Kind == poll.Values {
		in.drawLegend(c, w)
	}
	in.drawBars(c, w, &a)
	if in.Poll.Kind == poll.Values {
		in.drawTensions(c, w, &a)
	}
	c.y += 12
	c.rule()
	c.y += 8
	c.paragraph(f.small, muted, w.T("export.chart.footer"), 3)
	a.add(w.T("export.chart.footer"))
	data, err := encodePNG(c.render(margin), [][2]string{
		{"Title", a.title}, {"Description", a.String()}, {"Software", "waardenbot"},
	})
	if err != nil {
		return nil, "", err
	}
	return data, a.String(), nil
}

// drawTitle writes what the poll is, the casus and how many voted.
func (in *Input) drawTitle(c *canvas, w Words, a *altText) {
	p := in.Poll
	kicker := w.T("export.chart.kicker."+string(p.Kind), p.ID)
	c.line(c.f.small, muted, kicker)
	c.y += 6
	shown := c.paragraph(c.f.title, ink, p.Question, titleLines)
	a.title = shown
	state := w.T("export.open")
	if in.closed() {
		state = w.T("export.closed", in.when(in.closedAt()))
	}
	status := w.T("export.voters", in.Tally.Voters) + " · " + state
	c.y += 6
	c.line(c.f.label, muted, status)
	c.y += 14
	a.add(w.T("export.alt.intro", p.ID, w.T("export.kind."+string(p.Kind)), sentence(shown)))
	a.add(status + ".")
}

// drawLegend shows the colour of every cluster in the poll with its
// votes, in the order of the bars.
func (in *Input) drawLegend(c *canvas, w Words) {
	var items []legendItem
	for _, g := range in.groups() {
		name := g.name
		if !g.onMap {
			name = w.T("export.offmap")
		}
		items = append(items, legendItem{in.colour(g.bars[0].opt), w.T("export.chart.legend", name, g.votes)})
	}
	c.legend(items)
	c.y += 18
}

// drawBars draws one bar per option, by group.
func (in *Input) drawBars(c *canvas, w Words, a *altText) {
	groups := in.groups()
	top := 0
	for _, g := range groups {
		for _, b := range g.bars {
			top = max(top, b.votes)
		}
	}
	// Room for the widest count text after the longest bar.
	countW := 0
	counts := map[string]string{}
	for _, g := range groups {
		for _, b := range g.bars {
			s := w.T("export.chart.count", w.T("export.votes", b.votes), percent(b.votes, in.Tally.Voters))
			counts[b.opt.Key] = s
			countW = max(countW, c.f.bold.width(s))
		}
	}
	room := chartWidth - 2*margin - countW - 18
	for gi, g := range groups {
		if gi > 0 {
			c.y += groupGap
		}
		var parts []string
		for _, b := range g.bars {
			label := b.opt.Label
			note := ""
			if in.Poll.Kind == poll.Values {
				note = clusterLabel(w, b.opt)
			}
			c.labelLine(label, note)
			length := 0
			if top > 0 {
				length = room * b.votes / top
			}
			c.bar(length, in.colour(b.opt), counts[b.opt.Key])
			c.y += barGap
			parts = append(parts, w.T("export.alt.option", label, w.T("export.votes", b.votes), percent(b.votes, in.Tally.Voters)))
		}
		switch {
		case in.Poll.Kind != poll.Values:
			a.add(strings.Join(parts, "; ") + ".")
		case g.onMap:
			a.add(w.T("export.alt.cluster", g.name, w.T("export.votes", g.votes), strings.Join(parts, "; ")))
		default:
			a.add(w.T("export.alt.offmap", strings.Join(parts, "; ")))
		}
	}
}

// drawTensions writes where the tension lies, as the chat's result says
// it.
func (in *Input) drawTensions(c *canvas, w Words, a *altText) {
	r := in.Result
	switch {
	case len(r.Tensions) > 0:
		c.y += 4
		c.line(c.f.bold, ink, w.T("export.tensions"))
		c.y += 4
		var lines []string
		for _, x := range r.Tensions {
			line := tensionText(w, x)
			c.paragraph(c.f.label, ink, line, 2)
			lines = append(lines, line)
		}
		a.add(w.T("export.alt.tensions", strings.Join(lines, "; ")))
	case len(r.Strong) > 0:
		c.y += 4
		s := w.T("export.no_tension")
		c.paragraph(c.f.label, muted, s, 3)
		a.add(s)
	}
}

// tensionText is "Privacy (Vrijheid) ↔ Doelmatigheid (Nut)".
func tensionText(w Words, x poll.Tension) string {
	return fmt.Sprintf("%s (%s) ↔ %s (%s)", x.A.Label, clusterLabel(w, x.A), x.B.Label, clusterLabel(w, x.B))
}

// sentence ends s with a full stop unless it ends a sentence already.
func sentence(s string) string {
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".?!…") || strings.HasSuffix(s, "…") {
		return s
	}
	return s + "."
}

// altText gathers the sentences that say what the chart shows.
type altText struct {
	title string
	parts []string
}

func (a *altText) add(s string) { a.parts = append(a.parts, s) }

func (a *altText) String() string { return strings.Join(a.parts, " ") }
