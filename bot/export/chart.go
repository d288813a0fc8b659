package export

import (
	"fmt"
	"image"
	"image/color"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// The chart is drawn with image/draw and golang.org/x/image's font
// packages (opentype and the Go fonts, embedded), not with a plotting
// library: gonum.org/v1/plot, measured for this chart, made the binary 9
// MB larger and ran package init functions at every start of the bot
// (0.3 ms and 180 KB of heap for its default fonts alone, plus LaTeX
// symbol tables and PDF, EPS and TeX back ends), whether or not a chart
// was ever made. Here nothing happens until Chart is called: the fonts
// are parsed then, for that chart (see BENCHMARKS.md).
//
// Layout, for a phone: 1080 pixels wide, which a phone shows at about 360
// points (three pixels a point), so 34-pixel labels read as 11-point
// text. One horizontal bar per option with its label above it, so that a
// long value name never squeezes the bar; its count and share next to the
// bar's end; bars grouped by cluster and coloured by it, with a legend;
// the casus as the title; the tensions below.

// Chart sizes in pixels.
const (
	chartWidth  = 1080
	margin      = 56
	barHeight   = 44
	barGap      = 22 // between an option's bar and the next option's label
	groupGap    = 18 // extra space between clusters
	swatch      = 30 // a legend's colour square
	titleLines  = 5  // the casus is cut after this many lines
	maxChartTop = 4000
)

// Colours of the text.
var (
	ink    = color.RGBA{0x1a, 0x1a, 0x1a, 0xff}
	muted  = color.RGBA{0x55, 0x59, 0x5e, 0xff}
	rule   = color.RGBA{0xd0, 0xd4, 0xd9, 0xff}
	paper  = color.RGBA{0xff, 0xff, 0xff, 0xff}
	offMap = color.RGBA{0x8a, 0x8d, 0x91, 0xff} // values not on the Waardenkaart
)

// palette colours the clusters of the Waardenkaart in the knowledge
// base's order (Vrijheid, Rechtvaardigheid, Puurheid, Loyaliteit,
// Empathie, Hiërarchie, Continuïteit, Kwaliteit, Nut): the Okabe–Ito
// colours, which stay apart for the common forms of colour blindness,
// without their yellow (too light on white), and three darker ones. Each
// has a contrast of at least 3:1 against white. The text next to a bar
// names its cluster as well, so nothing rests on colour alone.
var palette = [...]color.RGBA{
	{0x00, 0x72, 0xb2, 0xff}, // blue
	{0xd5, 0x5e, 0x00, 0xff}, // vermilion
	{0x00, 0x9e, 0x73, 0xff}, // bluish green
	{0xcc, 0x79, 0xa7, 0xff}, // reddish purple
	{0xb0, 0x7a, 0x00, 0xff}, // dark orange
	{0x3d, 0x8f, 0xc6, 0xff}, // sky blue, darkened
	{0x8c, 0x56, 0x4b, 0xff}, // brown
	{0x6a, 0x3d, 0x9a, 0xff}, // purple
	{0x33, 0x33, 0x33, 0xff}, // near black
}

// statementColours are the bars of eens, neutraal and oneens.
var statementColours = map[string]color.RGBA{
	"eens":     {0x00, 0x9e, 0x73, 0xff},
	"neutraal": {0x8a, 0x8d, 0x91, 0xff},
	"oneens":   {0xd5, 0x5e, 0x00, 0xff},
}

// colour is the bar colour of an option.
func (in *Input) colour(o poll.Option) color.RGBA {
	if in.Poll.Kind != poll.Values {
		if c, ok := statementColours[o.Key]; ok {
			return c
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
	f, err := newFaces()
	if err != nil {
		return nil, "", fmt.Errorf("chart fonts: %w", err)
	}
	c := &canvas{f: f, y: margin}
	var a altText
	in.drawTitle(c, w, &a)
	if in.Poll.Kind == poll.Values {
		in.drawLegend(c, w, &a)
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
	img := c.render(margin)
	data, err := encodePNG(img, map[string]string{
		"Title":       a.title,
		"Description": a.String(),
		"Software":    "waardenbot",
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
func (in *Input) drawLegend(c *canvas, w Words, a *altText) {
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
			countW = max(countW, c.width(c.f.count, s))
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

// render makes the image of everything drawn, bottom margin included.
func (c *canvas) render(bottom int) *image.RGBA {
	h := min(c.y+bottom, maxChartTop)
	img := image.NewRGBA(image.Rect(0, 0, chartWidth, h))
	fill(img, img.Bounds(), paper)
	for _, op := range c.ops {
		op(img)
	}
	return img
}
