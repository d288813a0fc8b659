package export

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/knowledge"
)

var kb = knowledge.MustLoad()

var amsterdam, _ = time.LoadLocation("Europe/Amsterdam")

// words stands in for the bot's catalog: each message is its key with its
// arguments, "key(a,b)", so that tests see which message went where; the
// separator and the decimal mark are the Dutch ones.
type words struct{}

func (words) T(key string, args ...any) string {
	switch key {
	case "export.csv_separator":
		return ";"
	case "export.decimal_mark":
		return ","
	case "export.and":
		return " & "
	case "export.lang":
		return "nl"
	}
	if len(args) == 0 {
		return key
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = fmt.Sprint(a)
	}
	return key + "(" + strings.Join(parts, ",") + ")"
}

// values is a casus on values a, b, … with votes per value (in the
// order given) from voters voters, closed an hour after it started.
func values(t *testing.T, list string, votes []int, voters int) Input {
	t.Helper()
	svc := poll.NewService(nil, kb, time.Now, amsterdam)
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, amsterdam)
	p := poll.Poll{
		ID: "ab3k", Kind: poll.Values, Where: chat.Destination{Platform: "slack", Team: "T1", Channel: "C1"},
		Creator: "U0ANNA", Name: "Anna", Question: "Mag de gemeente camera's ophangen op het Hiëronymusplein?",
		Max: 2, Created: start, Closed: true, ClosedAt: start.Add(time.Hour),
	}
	for _, name := range strings.Split(list, ",") {
		o := poll.Option{Key: knowledge.Fold(strings.TrimSpace(name)), Label: strings.TrimSpace(name)}
		for _, v := range kb.Values() {
			if knowledge.Fold(v.Name) == o.Key {
				o.Label, o.Cluster, o.OnMap = v.Name, v.Cluster.Name, true
			}
		}
		p.Options = append(p.Options, o)
	}
	tally := poll.Tally{Votes: map[string]int{}, Voters: voters}
	for i, n := range votes {
		tally.Votes[p.Options[i].Key] = n
	}
	return Input{Poll: p, Tally: tally, Result: svc.Result(p, tally), KB: kb, Loc: amsterdam, Now: start.Add(2 * time.Hour)}
}

// statement is a /stelling with eens, neutraal and oneens votes.
func statement(t *testing.T, agree, neutral, disagree int) Input {
	t.Helper()
	in := values(t, "privacy, orde", nil, agree+neutral+disagree)
	in.Poll.Kind, in.Poll.Max = poll.Statement, 1
	in.Poll.Question = "De gemeente publiceert al haar algoritmes."
	in.Poll.Options = []poll.Option{{Key: "eens", Label: "eens"}, {Key: "neutraal", Label: "neutraal"}, {Key: "oneens", Label: "oneens"}}
	in.Tally.Votes = map[string]int{"eens": agree, "neutraal": neutral, "oneens": disagree}
	in.Result = poll.NewService(nil, kb, time.Now, amsterdam).Result(in.Poll, in.Tally)
	return in
}

func TestGroupsPutClustersWithMostVotesFirstAndOffMapValuesLast(t *testing.T) {
	in := values(t, "toegankelijkheid, orde, privacy, autonomie, gelijkheid", []int{5, 1, 2, 3, 4}, 8)
	var got []string
	for _, g := range in.groups() {
		var keys []string
		for _, b := range g.bars {
			keys = append(keys, b.opt.Key)
		}
		got = append(got, fmt.Sprintf("%s:%d:%s", g.name, g.votes, strings.Join(keys, ",")))
	}
	want := "Vrijheid:5:autonomie,privacy|Rechtvaardigheid:4:gelijkheid|Hiërarchie:1:orde|:5:toegankelijkheid"
	if strings.Join(got, "|") != want {
		t.Errorf("groups %s\nwant   %s", strings.Join(got, "|"), want)
	}
}

func TestShareRoundsHalfUpWithTheLanguagesDecimalMark(t *testing.T) {
	for _, tc := range []struct {
		n, total int
		want     string
	}{{2, 3, "66,7"}, {1, 3, "33,3"}, {1, 8, "12,5"}, {1, 16, "6,3"}, {0, 5, "0,0"}, {5, 5, "100,0"}, {1, 0, ""}} {
		if got := share(words{}, tc.n, tc.total); got != tc.want {
			t.Errorf("share(%d, %d) = %q, want %q", tc.n, tc.total, got, tc.want)
		}
	}
}
