package poll

import (
	"context"
	"testing"
)

func TestShiftComparesSharesOfVotersAndOfChoices(t *testing.T) {
	f := newFixture(t)
	before := f.create(Values, "max=2 Mag dit? | privacy, autonomie, gelijkheid")
	after, err := f.svc.Repeat(context.Background(), in("bob"), before.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	after.Options = append(after.Options, Option{Key: "leefbaarheid", Label: "Leefbaarheid", Cluster: "Nut", OnMap: true, Added: true})
	bt := Tally{Voters: 4, Votes: map[string]int{"privacy": 2, "autonomie": 1, "gelijkheid": 3}}
	at := Tally{Voters: 3, Votes: map[string]int{"privacy": 3, "autonomie": 1, "gelijkheid": 0, "leefbaarheid": 2}}
	sh := f.svc.Shift(before, bt, after, at)
	if sh.Before != before.ID || sh.After != after.ID || sh.Voters != [2]int{4, 3} {
		t.Fatalf("%+v", sh)
	}
	want := []Share{
		{Key: "privacy", Name: "Privacy", Before: 50, After: 100, In: [2]bool{true, true}},
		{Key: "leefbaarheid", Name: "Leefbaarheid", Before: 0, After: 67, In: [2]bool{false, true}},
		{Key: "autonomie", Name: "Autonomie", Before: 25, After: 33, In: [2]bool{true, true}},
		{Key: "gelijkheid", Name: "Gelijkheid", Before: 75, After: 0, In: [2]bool{true, true}},
	}
	if len(sh.Options) != len(want) {
		t.Fatalf("options %+v", sh.Options)
	}
	for i, w := range want {
		if sh.Options[i] != w {
			t.Errorf("option %d: %+v, want %+v", i, sh.Options[i], w)
		}
	}
	// Vrijheid: privacy and autonomie, 3 of 6 choices before, 4 of 6 after.
	clusters := map[string][2]int{}
	for _, c := range sh.Clusters {
		clusters[c.Name] = [2]int{c.Before, c.After}
	}
	if clusters["Vrijheid"] != [2]int{50, 67} || clusters["Nut"] != [2]int{0, 33} {
		t.Errorf("clusters %+v", sh.Clusters)
	}
	if len(sh.Disappeared) == 0 {
		t.Errorf("gelijkheid lost every vote, so its tensions disappeared: %+v", sh)
	}
}
