package export

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// decode decodes a chart and counts its pixels by colour.
func decode(t *testing.T, data []byte) (image.Image, map[rgb]int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	count := map[rgb]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if a != 0xffff {
				t.Fatalf("a pixel that is not opaque at %d,%d", x, y)
			}
			count[rgb{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}]++
		}
	}
	return img, count
}

func TestChartIsAPhoneWidePNGWithABarColourPerCluster(t *testing.T) {
	in := values(t, "privacy, autonomie, gelijkheid, doelmatigheid, toegankelijkheid", []int{4, 2, 3, 0, 1}, 5)
	data, alt, err := Chart(in, words{})
	if err != nil {
		t.Fatal(err)
	}
	img, count := decode(t, data)
	b := img.Bounds()
	if b.Dx() != chartWidth || b.Dy() < 600 || b.Dy() > maxChartHeight {
		t.Errorf("size %v", b.Size())
	}
	if blank := count[paper]; blank > b.Dx()*b.Dy()*9/10 {
		t.Errorf("%d of %d pixels are blank", blank, b.Dx()*b.Dy())
	}
	// A bar is a solid block of its cluster's colour: Vrijheid (privacy 4
	// and autonomie 2) has more of its colour than Rechtvaardigheid
	// (gelijkheid 3), Nut (doelmatigheid 0) only a stub and its legend
	// square, values not on the map their grey; clusters not in the poll
	// none.
	colourOf := func(cluster string) rgb {
		return in.colour(poll.Option{Cluster: cluster, OnMap: true})
	}
	vrijheid, recht, nut := count[colourOf("Vrijheid")], count[colourOf("Rechtvaardigheid")], count[colourOf("Nut")]
	const square = swatch * swatch
	if !(vrijheid > recht && recht > nut && nut >= square && count[offMap] > square) {
		t.Errorf("pixels per colour: Vrijheid %d, Rechtvaardigheid %d, Nut %d, off the map %d", vrijheid, recht, nut, count[offMap])
	}
	// Bar lengths follow the votes: privacy 4 and autonomie 2 are twice
	// gelijkheid's 3.
	if six, three := (vrijheid-square)/barHeight, (recht-square)/barHeight; three < 200 || six < 2*three-2 || six > 2*three+2 {
		t.Errorf("the bars of 4 and 2 votes are %d pixels long together, the bar of 3 %d", six, three)
	}
	for _, c := range []string{"Puurheid", "Loyaliteit", "Empathie", "Hiërarchie", "Continuïteit", "Kwaliteit"} {
		if n := count[colourOf(c)]; n > 0 {
			t.Errorf("%d pixels of the colour of %s, which is not in the poll", n, c)
		}
	}
	if colourOf("Vrijheid") == colourOf("Rechtvaardigheid") || colourOf("Nut") == offMap {
		t.Error("two clusters share a colour")
	}
	for _, want := range []string{"Privacy", "Autonomie", "Doelmatigheid", "toegankelijkheid", "Hiëronymusplein",
		"export.alt.cluster(Vrijheid", "export.alt.tensions", "export.chart.footer"} {
		if !strings.Contains(alt, want) {
			t.Errorf("the alt text lacks %q:\n%s", want, alt)
		}
	}
	if got := pngText(t, data, "Description"); got != alt {
		t.Errorf("the PNG's description is %q, want the alt text", got)
	}
}

func TestTheSameResultGivesTheSameBytes(t *testing.T) {
	for _, in := range []Input{values(t, "privacy, gelijkheid, toegankelijkheid", []int{2, 1, 1}, 3), statement(t, 1, 2, 3)} {
		first, _, err := Chart(in, words{})
		if err != nil {
			t.Fatal(err)
		}
		md, html, _ := Paragraph(in, words{})
		js, _ := JSON(in)
		for range 5 {
			again, _, _ := Chart(in, words{})
			md2, html2, _ := Paragraph(in, words{})
			js2, _ := JSON(in)
			if !bytes.Equal(first, again) || !bytes.Equal(md, md2) || !bytes.Equal(html, html2) || !bytes.Equal(js, js2) || !bytes.Equal(CSV(in, words{}), CSV(in, words{})) {
				t.Fatalf("%s: two exports of one result differ", in.Poll.Kind)
			}
		}
	}
}

func TestChartOfAStatementHasItsThreeAnswersInTheirColours(t *testing.T) {
	data, alt, err := Chart(statement(t, 5, 2, 1), words{})
	if err != nil {
		t.Fatal(err)
	}
	_, count := decode(t, data)
	yes, neutral, no := count[agree], count[offMap], count[disagree]
	if !(yes > 4*no && neutral > no && no > 0) {
		t.Errorf("pixels: eens %d, neutraal %d, oneens %d", yes, neutral, no)
	}
	if strings.Contains(alt, "export.alt.cluster") || !strings.Contains(alt, "oneens") {
		t.Errorf("alt: %s", alt)
	}
}

func TestChartKeepsLongTextInItsWidth(t *testing.T) {
	in := values(t, "privacy, orde", []int{1, 0}, 1)
	in.Poll.Question = strings.Repeat("Zeerlangwoordzonderspaties", 30) + " " + strings.Repeat("heel lang verhaal ", 200)
	in.Poll.Options[1] = poll.Option{Key: "x", Label: strings.Repeat("Bestaanszekerheid", 8)}
	data, alt, err := Chart(in, words{})
	if err != nil {
		t.Fatal(err)
	}
	img, _ := decode(t, data)
	if img.Bounds().Dy() > 1600 {
		t.Errorf("a long casus made the chart %d pixels high; it is cut after %d lines", img.Bounds().Dy(), titleLines)
	}
	if !strings.Contains(alt, "…") || len(alt) > 2000 {
		t.Errorf("alt text of %d bytes, cut: %v", len(alt), strings.Contains(alt, "…"))
	}
}

func TestChartRefusesCountsThatAreHidden(t *testing.T) {
	in := values(t, "privacy, orde", []int{1, 0}, 1)
	in.Poll.Hidden, in.Poll.Closed = true, false
	in.Poll.ClosesAt = in.Now.Add(time.Hour)
	if _, _, err := Chart(in, words{}); !errors.Is(err, poll.ErrCountsHidden) {
		t.Errorf("hidden open poll: %v", err)
	}
}

// pngText returns the text of the iTXt chunk with keyword in a PNG.
func pngText(t *testing.T, data []byte, keyword string) string {
	t.Helper()
	for rest := data[8:]; len(rest) >= 12; {
		n := int(binary.BigEndian.Uint32(rest))
		typ, body := string(rest[4:8]), rest[8:8+n]
		if k, v, ok := bytes.Cut(body, []byte{0}); typ == "iTXt" && ok && string(k) == keyword {
			return string(v[4:]) // compression flag and method, empty language and translated keyword
		}
		rest = rest[12+n:]
	}
	return ""
}

func BenchmarkChart(b *testing.B) {
	in := values(&testing.T{}, "privacy, autonomie, gelijkheid, doelmatigheid, toegankelijkheid", []int{4, 2, 3, 0, 1}, 5)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Chart(in, words{}); err != nil {
			b.Fatal(err)
		}
	}
}
