package schedule

import (
	"slices"
	"strconv"
	"testing"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/knowledge"
)

var kb = knowledge.MustLoad()

func TestFullRotationShowsEveryValueOnceBeforeAnyRepeats(t *testing.T) {
	all := kb.Values()
	if len(all) != 30 {
		t.Fatalf("the book has %d values, want 30", len(all))
	}
	cluster := map[string]string{}
	for _, v := range kb.Values() {
		cluster[v.Name] = v.Cluster.Name
	}
	sc := &Schedule{ID: ReflectionID(chat.Destination{Platform: "console", Channel: "fractie"})}
	var prev string
	for round := range 3 {
		seen := map[string]bool{}
		for i := range len(all) {
			v := sc.Turn.Next(kb, sc.ID)
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
	a1 := roundOrder(kb, "reflectie/console//a", 0, "")
	a2 := roundOrder(kb, "reflectie/console//a", 0, "")
	bb := roundOrder(kb, "reflectie/console//b", 0, "")
	a3 := roundOrder(kb, "reflectie/console//a", 1, "")
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
	sc := &Schedule{ID: "x", Turn: Rotation{Order: []string{"Verdwenen", "Privacy"}}}
	if v := sc.Turn.Next(kb, sc.ID); v == nil || v.Name != "Privacy" {
		t.Fatalf("Next = %v, want Privacy", v)
	}
	if v := sc.Turn.Current(kb); v == nil || v.Name != "Privacy" {
		t.Errorf("Current = %v, want Privacy, the value Next gave", v)
	}
	if v := sc.Turn.Next(kb, sc.ID); v == nil || sc.Turn.Round != 1 || len(sc.Turn.Order) != 30 {
		t.Errorf("after the stored order ran out: round %d with %d values, want a new round of 30", sc.Turn.Round, len(sc.Turn.Order))
	}
}

func TestRoundsNeverPutOneClusterTwiceInARowForManyChannels(t *testing.T) {
	cluster := map[string]string{}
	for _, v := range kb.Values() {
		cluster[v.Name] = v.Cluster.Name
	}
	for ch := range 200 {
		sc := &Schedule{ID: ReflectionID(chat.Destination{Platform: "slack", Team: "T", Channel: strconv.Itoa(ch)})}
		prev := ""
		for i := range 4 * 30 {
			v := sc.Turn.Next(kb, sc.ID)
			if prev != "" && cluster[v.Name] == cluster[prev] {
				t.Fatalf("channel %d, prompt %d: %s follows %s in %s", ch, i, v.Name, prev, cluster[v.Name])
			}
			prev = v.Name
		}
	}
}

func TestPeekShowsTheNextValueWithoutTakingIt(t *testing.T) {
	var r Rotation
	first := r.Peek(kb, "x")
	if r.Pos != 0 || r.Order != nil {
		t.Fatalf("Peek moved the rotation: %+v", r)
	}
	if v := r.Next(kb, "x"); v != first {
		t.Errorf("Next gave %v after Peek showed %v", v, first)
	}
	if v := r.Current(kb); v != first {
		t.Errorf("Current = %v, want %v", v, first)
	}
}
