package export

import (
	"strings"
	"unicode/utf8"
)

// rgb is an opaque colour.
type rgb struct{ R, G, B uint8 }

// Colours of the chart.
var (
	paper  = rgb{0xff, 0xff, 0xff}
	ink    = rgb{0x1a, 0x1a, 0x1a}
	muted  = rgb{0x55, 0x59, 0x5e}
	rule   = rgb{0xd0, 0xd4, 0xd9}
	offMap = rgb{0x8a, 0x8d, 0x91} // values not on the Waardenkaart, and neutraal
)

// palette colours the clusters of the Waardenkaart in the knowledge
// base's order (Vrijheid, Rechtvaardigheid, Puurheid, Loyaliteit,
// Empathie, Hiërarchie, Continuïteit, Kwaliteit, Nut): the Okabe–Ito
// colours, which stay apart for the common forms of colour blindness,
// without their yellow (too light on white), and three darker ones. Each
// has a contrast of at least 3:1 against white. The text next to a bar
// names its cluster as well, so nothing rests on colour alone.
var palette = [...]rgb{
	{0x00, 0x72, 0xb2}, // blue
	{0xd5, 0x5e, 0x00}, // vermilion
	{0x00, 0x9e, 0x73}, // bluish green
	{0xcc, 0x79, 0xa7}, // reddish purple
	{0xb0, 0x7a, 0x00}, // dark orange
	{0x3d, 0x8f, 0xc6}, // sky blue, darkened
	{0x8c, 0x56, 0x4b}, // brown
	{0x6a, 0x3d, 0x9a}, // purple
	{0x33, 0x33, 0x33}, // near black
}

// Statement colours: eens green, oneens vermilion (as two clusters of the
// palette), neutraal grey.
var (
	agree    = rgb{0x00, 0x9e, 0x73}
	disagree = rgb{0xd5, 0x5e, 0x00}
)

// textSteps is how many shades a text colour has between the paper and
// itself, for the anti-aliased edges of letters.
const textSteps = 32

// colours is the PNG's palette: the paper, the solid colours, and each
// text colour in textSteps shades over the paper (the last is the colour
// itself). Text is only ever drawn on the paper. One byte a pixel instead
// of three keeps the file small (about 65 KB for five bars) and quick to
// compress.
type colours struct {
	list  []rgb
	index map[rgb]uint8
	ramp  map[rgb]uint8 // a text colour → the index of its first shade
}

func newColours() *colours {
	c := &colours{index: map[rgb]uint8{}, ramp: map[rgb]uint8{}}
	for _, col := range append([]rgb{paper, rule, offMap}, palette[:]...) {
		c.add(col)
	}
	for _, text := range []rgb{ink, muted} {
		c.ramp[text] = uint8(len(c.list))
		for k := 1; k <= textSteps; k++ {
			c.list = append(c.list, blend(paper, text, k, textSteps))
		}
	}
	return c
}

func (c *colours) add(col rgb) {
	if _, ok := c.index[col]; !ok {
		c.index[col] = uint8(len(c.list))
		c.list = append(c.list, col)
	}
}

// blend is the colour a/of of the way from c to d.
func blend(c, d rgb, a, of int) rgb {
	mix := func(x, y uint8) uint8 { return uint8((int(x)*(of-a) + int(y)*a + of/2) / of) }
	return rgb{mix(c.R, d.R), mix(c.G, d.G), mix(c.B, d.B)}
}

// raster is the chart's pixels as indices into its colours.
type raster struct {
	w, h int
	pix  []uint8
	col  *colours
}

// fill paints a rectangle in a solid colour.
func (r *raster) fill(x0, y0, x1, y1 int, col rgb) {
	i := r.col.index[col]
	for y := max(y0, 0); y < min(y1, r.h); y++ {
		row := r.pix[y*r.w : (y+1)*r.w]
		for x := max(x0, 0); x < min(x1, r.w); x++ {
			row[x] = i
		}
	}
}

// text draws s in face with its baseline at y, starting at x.
func (r *raster) text(f *face, col rgb, x, y int, s string) {
	base := int(r.col.ramp[col])
	pen := int32(x) << 6
	for _, ch := range s {
		g := f.glyph(ch)
		gx, gy := int((pen+32)>>6)+g.x, y+g.y
		for j := range g.h {
			py := gy + j
			if py < 0 || py >= r.h {
				continue
			}
			for i := range g.w {
				px := gx + i
				cover := g.cover[j*g.w+i]
				if px < 0 || px >= r.w || cover == 0 {
					continue
				}
				level := (int(cover)*textSteps + 127) / 255
				if level == 0 {
					continue
				}
				p := &r.pix[py*r.w+px]
				if int(*p) >= base && int(*p) < base+textSteps && int(*p)-base >= level-1 {
					continue // darker already: where two letters touch
				}
				*p = uint8(base + level - 1)
			}
		}
		pen += g.advance
	}
}

// canvas lays a chart out from top to bottom: each call places something
// at the current height and moves down. Drawing waits until the height is
// known (render).
type canvas struct {
	f   faces
	y   int
	ops []func(*raster)
}

func (c *canvas) draw(op func(*raster)) { c.ops = append(c.ops, op) }

// line writes one line of text at the left margin.
func (c *canvas) line(f *face, col rgb, s string) {
	baseline := c.y + f.ascent
	c.text(f, col, margin, baseline, s)
	c.y += f.height
}

func (c *canvas) text(f *face, col rgb, x, y int, s string) {
	c.draw(func(r *raster) { r.text(f, col, x, y, s) })
}

// paragraph writes s wrapped to the width between the margins, at most
// maxLines lines (the last one cut with "…"), and returns the text as
// shown.
func (c *canvas) paragraph(f *face, col rgb, s string, maxLines int) string {
	lines := wrap(f, strings.Join(strings.Fields(s), " "), chartWidth-2*margin)
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = ellipsize(f, lines[maxLines-1]+" …", chartWidth-2*margin)
	}
	for _, l := range lines {
		c.line(f, col, l)
	}
	return strings.Join(lines, " ")
}

// labelLine writes an option's label in bold, and after it, lighter, its
// cluster.
func (c *canvas) labelLine(label, note string) {
	baseline := c.y + c.f.bold.ascent
	avail := chartWidth - 2*margin
	if note != "" {
		note = "  " + note
		avail -= c.f.label.width(note)
	}
	label = ellipsize(c.f.bold, label, max(avail, (chartWidth-2*margin)/2))
	c.text(c.f.bold, ink, margin, baseline, label)
	if note != "" {
		c.text(c.f.label, muted, margin+c.f.bold.width(label), baseline, note)
	}
	c.y += c.f.bold.height + 4
}

// bar draws a bar of length pixels in col and the count after its end. A
// bar without votes is a thin stub in its colour, so that its cluster
// still shows.
func (c *canvas) bar(length int, col rgb, count string) {
	top := c.y
	length = max(length, 6)
	c.draw(func(r *raster) { r.fill(margin, top, margin+length, top+barHeight, col) })
	f := c.f.bold
	c.text(f, ink, margin+length+18, top+(barHeight+f.ascent-f.descent)/2, count)
	c.y += barHeight
}

// legendItem is a colour and what it stands for.
type legendItem struct {
	col  rgb
	text string
}

// legend writes colour squares with their names, as many on a line as fit.
func (c *canvas) legend(items []legendItem) {
	f := c.f.label
	lineH := f.height + 8
	x := margin
	for _, it := range items {
		w := swatch + 12 + f.width(it.text) + 36
		if x > margin && x+w-36 > chartWidth-margin {
			x = margin
			c.y += lineH
		}
		top, left, col := c.y+(lineH-8-swatch)/2, x, it.col
		c.draw(func(r *raster) { r.fill(left, top, left+swatch, top+swatch, col) })
		c.text(f, ink, x+swatch+12, c.y+f.ascent, ellipsize(f, it.text, chartWidth-2*margin-swatch-12))
		x += w
	}
	c.y += lineH
}

// rule draws a thin line across.
func (c *canvas) rule() {
	y := c.y
	c.draw(func(r *raster) { r.fill(margin, y, chartWidth-margin, y+2, rule) })
	c.y += 2
}

// render draws everything on a raster of the height used, bottom margin
// included.
func (c *canvas) render(bottom int) *raster {
	r := &raster{w: chartWidth, h: min(c.y+bottom, maxChartHeight), col: newColours()}
	r.pix = make([]uint8, r.w*r.h) // index 0 is the paper
	for _, op := range c.ops {
		op(r)
	}
	return r
}

// wrap breaks s into lines no wider than width at spaces; a word wider
// than a line is cut.
func wrap(f *face, s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if f.width(try) <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		for f.width(word) > width {
			cut := strings.TrimSuffix(ellipsize(f, word, width), "…")
			if cut == "" {
				break
			}
			lines = append(lines, cut)
			word = word[len(cut):]
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// ellipsize shortens s until it fits width, ending it in "…" when cut.
func ellipsize(f *face, s string, width int) string {
	if f.width(s) <= width {
		return s
	}
	for s != "" {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
		if t := strings.TrimRight(s, " ") + "…"; f.width(t) <= width {
			return t
		}
	}
	return "…"
}
