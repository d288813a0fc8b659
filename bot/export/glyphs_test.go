package export

import (
	"bytes"
	"compress/flate"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot/export/internal/glyphs"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

// glyphs.bin is package glyphs' atlas, compressed. go test -run Glyph
// -update makes it again (after a change of the faces, the letters or
// golang.org/x/image).
func TestGlyphAtlasIsTheGoFontsAsPackageGlyphsRendersThem(t *testing.T) {
	want, err := glyphs.Build()
	if err != nil {
		t.Fatal(err)
	}
	if testkit.Updating() {
		var z bytes.Buffer
		w, _ := flate.NewWriter(&z, flate.BestCompression)
		w.Write(want)
		w.Close()
		if err := os.WriteFile("glyphs.bin", z.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return // the embedded atlas is the old one until the next build
	}
	got, err := io.ReadAll(flate.NewReader(strings.NewReader(glyphAtlas)))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("glyphs.bin is not the atlas package glyphs renders (%v); run go test ./bot/export -run Glyph -update", err)
	}
	fs, err := readAtlas(got)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fs {
		if len(f.glyphs) != len(glyphs.Runes()) || f.height != f.ascent+f.descent && f.height < f.ascent {
			t.Errorf("face %d: %d glyphs, ascent %d, descent %d, height %d", i, len(f.glyphs), f.ascent, f.descent, f.height)
		}
		for _, r := range "ëïé↔…–€" {
			if g := f.glyphs[r]; g == nil || g.w == 0 || bytes.Count(g.cover, []byte{0}) == len(g.cover) {
				t.Errorf("face %d has no visible %q", i, r)
			}
		}
	}
}

// The bot's binary links no font or image package: the chart draws from
// the atlas and writes its PNG itself (see chart.go).
func TestChartsLinkNoFontOrImagePackage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/waardenbot/waardenbot/cmd/waardenbot").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "golang.org/x/image") || strings.HasPrefix(pkg, "image") || pkg == "golang.org/x/text/encoding/charmap" {
			t.Errorf("the bot links %s", pkg)
		}
	}
}
