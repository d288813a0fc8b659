// Package glyphs renders the letters the chart needs from the Go fonts
// into an atlas: every rune of Runes in every face of Faces, as 8-bit
// coverage bitmaps with their metrics. Package export embeds the atlas
// (glyphs.bin, compressed) and draws text from it, so that the bot's
// binary links no font package: golang.org/x/image's sfnt, opentype and
// vector, and the x/text character maps they bring, ran package init
// functions at every start of the bot and added half a megabyte of
// resident memory before any chart was drawn (see BENCHMARKS.md). Only
// the test that keeps glyphs.bin up to date (go test ./bot/export -run
// Glyph -update) imports this package.
//
// The atlas, all integers little-endian:
//
//	"WBG1", faces uint16
//	per face: size, ascent, descent, height int16; glyphs uint16;
//	          per glyph: rune int32, advance int32 (26.6 fixed point),
//	                     x, y, w, h int16 (the bitmap's place relative to the
//	                     dot on the baseline), offset uint32 into the bitmaps
//	bitmaps: length uint32, then w×h coverage bytes per glyph, row by row
package glyphs

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Face is a weight and a size in pixels.
type Face struct {
	Bold bool
	Size int
}

// Faces are the chart's faces in the atlas's order: the title, bold text
// (labels, counts, headings), regular text, small print.
var Faces = []Face{{true, 44}, {true, 34}, {false, 32}, {false, 26}}

// Runes are the letters the atlas holds: ASCII, Latin-1 and Latin
// Extended-A (every letter of Dutch, ë and ï included, and of the names of
// most European languages), dashes, quotes, the bullet, the ellipsis, the
// euro sign and the arrows. Anything else is drawn as "?"; the alt text
// and the other files keep it as typed.
func Runes() []rune {
	var out []rune
	for r := rune(0x20); r < 0x7f; r++ {
		out = append(out, r)
	}
	for r := rune(0xa0); r < 0x180; r++ {
		out = append(out, r)
	}
	return append(out, '–', '—', '‘', '’', '‚', '“', '”', '„', '•', '…', '€', '←', '↑', '→', '↓', '↔', '−')
}

// Build renders the atlas.
func Build() ([]byte, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, err
	}
	var head, bitmaps bytes.Buffer
	put := func(v any) { binary.Write(&head, binary.LittleEndian, v) } // a bytes.Buffer does not fail
	head.WriteString("WBG1")
	put(uint16(len(Faces)))
	runes := Runes()
	for _, f := range Faces {
		src := regular
		if f.Bold {
			src = bold
		}
		face, err := opentype.NewFace(src, &opentype.FaceOptions{Size: float64(f.Size), DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return nil, err
		}
		m := face.Metrics()
		put([]int16{int16(f.Size), int16(m.Ascent.Ceil()), int16(m.Descent.Ceil()), int16(m.Height.Ceil())})
		put(uint16(len(runes)))
		for _, r := range runes {
			dr, mask, mp, adv, ok := face.Glyph(fixed.P(0, 0), r)
			if !ok {
				return nil, fmt.Errorf("the Go font has no %q at %d px", r, f.Size)
			}
			a := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
			draw.Draw(a, a.Bounds(), mask, mp, draw.Src)
			put(int32(r))
			put(int32(adv))
			put([]int16{int16(dr.Min.X), int16(dr.Min.Y), int16(dr.Dx()), int16(dr.Dy())})
			put(uint32(bitmaps.Len()))
			bitmaps.Write(a.Pix)
		}
		face.Close()
	}
	put(uint32(bitmaps.Len()))
	head.Write(bitmaps.Bytes())
	return head.Bytes(), nil
}
