package export

import (
	"bytes"
	"compress/flate"
	_ "embed" // the glyph atlas
	"encoding/binary"
	"fmt"
	"io"
	"strings"
)

// glyphAtlas is the Go fonts (golang.org/x/image/font/gofont, BSD
// licence) rendered into coverage bitmaps by package internal/glyphs, in
// the faces and for the letters the chart uses, compressed with deflate.
// It is data in the binary's read-only segment: nothing reads it until a
// chart is drawn. `go test ./bot/export -run Glyph -update` makes it
// again.
//
//go:embed glyphs.bin
var glyphAtlas string

// glyph is one letter of a face: its bitmap of coverage (0 to 255) and
// where it sits relative to the dot on the baseline.
type glyph struct {
	advance    int32 // to the next dot, in 1/64 pixel
	x, y, w, h int
	cover      []byte // w×h, row by row
}

// face is a font at one size.
type face struct {
	ascent, descent, height int
	glyphs                  map[rune]*glyph
}

// faces are the chart's faces, read from the atlas for one chart.
type faces struct {
	title, bold, label, small *face
}

// loadFaces inflates and reads the atlas. It takes a few milliseconds,
// once per chart.
func loadFaces() (faces, error) {
	data, err := io.ReadAll(flate.NewReader(strings.NewReader(glyphAtlas)))
	if err != nil {
		return faces{}, fmt.Errorf("glyph atlas: %w", err)
	}
	fs, err := readAtlas(data)
	if err != nil {
		return faces{}, fmt.Errorf("glyph atlas: %w", err)
	}
	if len(fs) != 4 {
		return faces{}, fmt.Errorf("glyph atlas: %d faces, want 4", len(fs))
	}
	return faces{title: fs[0], bold: fs[1], label: fs[2], small: fs[3]}, nil
}

// errAtlas is a malformed atlas. A type rather than errors.New keeps the
// package free of init code (see chart.go).
type errAtlasType struct{}

func (errAtlasType) Error() string { return "malformed" }

var errAtlas error = errAtlasType{}

// readAtlas reads the format that package internal/glyphs writes.
func readAtlas(data []byte) ([]*face, error) {
	r := bytes.NewReader(data)
	var magic [4]byte
	var n uint16
	if _, err := io.ReadFull(r, magic[:]); err != nil || string(magic[:]) != "WBG1" {
		return nil, errAtlas
	}
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
		return nil, errAtlas
	}
	type entry struct {
		g      *glyph
		offset uint32
	}
	var all []entry
	var out []*face
	for range n {
		var head struct {
			Size, Ascent, Descent, Height int16
			Glyphs                        uint16
		}
		if err := binary.Read(r, binary.LittleEndian, &head); err != nil {
			return nil, errAtlas
		}
		f := &face{ascent: int(head.Ascent), descent: int(head.Descent), height: int(head.Height), glyphs: make(map[rune]*glyph, head.Glyphs)}
		for range head.Glyphs {
			var e struct {
				Rune, Advance int32
				X, Y, W, H    int16
				Offset        uint32
			}
			if err := binary.Read(r, binary.LittleEndian, &e); err != nil {
				return nil, errAtlas
			}
			g := &glyph{advance: e.Advance, x: int(e.X), y: int(e.Y), w: int(e.W), h: int(e.H)}
			f.glyphs[rune(e.Rune)] = g
			all = append(all, entry{g, e.Offset})
		}
		out = append(out, f)
	}
	var size uint32
	if err := binary.Read(r, binary.LittleEndian, &size); err != nil || int(size) != r.Len() {
		return nil, errAtlas
	}
	bitmaps := data[len(data)-int(size):]
	for _, e := range all {
		end := int(e.offset) + e.g.w*e.g.h
		if end > len(bitmaps) {
			return nil, errAtlas
		}
		e.g.cover = bitmaps[e.offset:end]
	}
	return out, nil
}

// glyph is the letter for r, or "?" for a letter the atlas does not hold.
func (f *face) glyph(r rune) *glyph {
	if g, ok := f.glyphs[r]; ok {
		return g
	}
	return f.glyphs['?']
}

// width is the width of s in pixels.
func (f *face) width(s string) int {
	var adv int32
	for _, r := range s {
		adv += f.glyph(r).advance
	}
	return int((adv + 63) >> 6)
}
