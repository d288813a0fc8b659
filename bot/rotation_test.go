package bot

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestFullRotationShowsEveryValueOnceBeforeAnyRepeats(t *testing.T) {
	b := testBot(t)
	all := valueNames(b.kb.Values())
	if len(all) != 30 {
		t.Fatalf("the book has %d values, want 30", len(all))
	}
	cluster := map[string]string{}
	for _, v := range b.kb.Values() {
		cluster[v.Name] = v.Cluster.Name
	}
	sc := &Schedule{ID: reflectionID(Destination{Platform: "console", Channel: "fractie"})}
	var prev string
	for round := range 3 {
		seen := map[string]bool{}
		for i := range len(all) {
			v := b.nextValue(sc)
			if seen[v.Name] {
				t.Fatalf("round %d: %s came twice", round, v.Name)
			}
			seen[v.Name] = true
			if v.Name == prev {
				t.Errorf("round %d, prompt %d: %s right after itself", round, i, v.Name)
			}
			if prev != "" && cluster[v.Name] == cluster[prev] {
				t.Errorf("round %d, prompt %d: %s and %s are both in %s", round, i, prev, v.Name, cluster[v.Name])
			}
			prev = v.Name
		}
		if len(seen) != len(all) {
			t.Errorf("round %d showed %d values, want %d", round, len(seen), len(all))
		}
	}
	if sc.Turn.Round != 2 || sc.Turn.Pos != 30 {
		t.Errorf("rotation = round %d pos %d, want round 2 pos 30", sc.Turn.Round, sc.Turn.Pos)
	}
}

func TestRotationOrderIsFixedPerChannelAndDiffersBetweenChannels(t *testing.T) {
	b := testBot(t)
	a1 := roundOrder(b.kb, "reflectie/console//a", 0, "")
	a2 := roundOrder(b.kb, "reflectie/console//a", 0, "")
	bb := roundOrder(b.kb, "reflectie/console//b", 0, "")
	a3 := roundOrder(b.kb, "reflectie/console//a", 1, "")
	if !slices.Equal(a1, a2) {
		t.Error("the same channel and round gave two orders")
	}
	if slices.Equal(a1, bb) {
		t.Error("two channels got the same order")
	}
	if slices.Equal(a1, a3) {
		t.Error("two rounds of one channel got the same order")
	}
}

func TestRotationSkipsValuesNoLongerInTheBook(t *testing.T) {
	b := testBot(t)
	sc := &Schedule{ID: "x", Turn: Rotation{Order: []string{"Verdwenen", "Privacy"}}}
	if v := b.nextValue(sc); v == nil || v.Name != "Privacy" {
		t.Fatalf("nextValue = %v, want Privacy", v)
	}
	if v := b.nextValue(sc); v == nil || sc.Turn.Round != 1 || len(sc.Turn.Order) != 30 {
		t.Errorf("after the stored order ran out: round %d with %d values, want a new round of 30", sc.Turn.Round, len(sc.Turn.Order))
	}
}

func TestPromptRotatesOpinionAndQuestionByRound(t *testing.T) {
	b := testBot(t)
	id := "reflectie/console//a"
	first := roundOrder(b.kb, id, 0, "")[0]
	sc0 := &Schedule{ID: id}
	p0 := b.reflectionPrompt(sc0, "")
	// The same value in a later round shows another opinion or question.
	sc1 := &Schedule{ID: id, Turn: Rotation{Round: 1, Order: []string{first}}}
	p1 := b.reflectionPrompt(sc1, "")
	if p0.Text == p1.Text {
		t.Errorf("%s shows the same prompt in rounds 1 and 2:\n%s", first, p0.Text)
	}
	if !p0.Thread {
		t.Error("a prompt should start a thread")
	}
	for _, want := range []string{first, "Welke opvatting herken je in onze fractie? Waar botst deze waarde met een andere?", "_Bron: "} {
		if !strings.Contains(p0.Text, want) {
			t.Errorf("prompt lacks %q:\n%s", want, p0.Text)
		}
	}
}

func TestRoundsNeverPutOneClusterTwiceInARowForManyChannels(t *testing.T) {
	b := testBot(t)
	cluster := map[string]string{}
	for _, v := range b.kb.Values() {
		cluster[v.Name] = v.Cluster.Name
	}
	for ch := range 200 {
		sc := &Schedule{ID: reflectionID(Destination{Platform: "slack", Team: "T", Channel: strconv.Itoa(ch)})}
		prev := ""
		for i := range 4 * 30 {
			v := b.nextValue(sc)
			if prev != "" && cluster[v.Name] == cluster[prev] {
				t.Fatalf("channel %d, prompt %d: %s follows %s in %s", ch, i, v.Name, prev, cluster[v.Name])
			}
			prev = v.Name
		}
	}
}
