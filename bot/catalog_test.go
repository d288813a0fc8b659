package bot

import (
	"strings"
	"testing"
)

func TestCountsTakeTheSingularOnlyForOne(t *testing.T) {
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"nl", "poll.votes", []any{0}, "0 stemmen"},
		{"nl", "poll.votes", []any{1}, "1 stem"},
		{"nl", "poll.votes", []any{2}, "2 stemmen"},
		{"en", "poll.votes", []any{0}, "0 votes"},
		{"en", "poll.votes", []any{1}, "1 vote"},
		{"en", "poll.votes", []any{2}, "2 votes"},
		{"nl", "poll.voters", []any{0}, "0 stemmers."},
		{"nl", "poll.voters", []any{1}, "1 stemmer."},
		{"nl", "poll.voters", []any{2}, "2 stemmers."},
		{"en", "poll.voters", []any{0}, "0 voters."},
		{"en", "poll.voters", []any{1}, "1 voter."},
		{"en", "poll.voters", []any{2}, "2 voters."},
		// The count need not be the first argument.
		{"nl", "vote.standing", []any{"Privacy 0", 0}, "Stand: Privacy 0 (0 stemmers)."},
		{"nl", "vote.standing", []any{"Privacy 1", 1}, "Stand: Privacy 1 (1 stemmer)."},
		{"nl", "vote.standing", []any{"Privacy 2", 2}, "Stand: Privacy 2 (2 stemmers)."},
		{"en", "vote.standing", []any{"Privacy 0", 0}, "Standing: Privacy 0 (0 voters)."},
		{"en", "vote.standing", []any{"Privacy 1", 1}, "Standing: Privacy 1 (1 voter)."},
		{"en", "vote.standing", []any{"Privacy 2", 2}, "Standing: Privacy 2 (2 voters)."},
		// The first int chooses; a second one does not.
		{"nl", "poll.few_options", []any{0, 2}, "Ik las 0 waarden; een peiling heeft er minstens 2 nodig."},
		{"nl", "poll.few_options", []any{1, 2}, "Ik las 1 waarde; een peiling heeft er minstens 2 nodig."},
		{"en", "poll.few_options", []any{0, 2}, "I read 0 values; a poll needs at least 2."},
		{"en", "poll.few_options", []any{1, 2}, "I read 1 value; a poll needs at least 2."},
		{"nl", "n.questions", []any{1}, "1 vraag"},
		{"nl", "n.questions", []any{2}, "2 vragen"},
		{"en", "n.questions", []any{1}, "1 question"},
		// The singular may leave the number out.
		{"nl", "spec.every_hours", []any{1, "Europe/Amsterdam"}, "elk uur (Europe/Amsterdam)"},
		{"nl", "spec.every_hours", []any{2, "Europe/Amsterdam"}, "elke 2 uur (Europe/Amsterdam)"},
		{"en", "spec.every_hours", []any{1, "UTC"}, "every hour (UTC)"},
		{"en", "spec.every_hours", []any{2, "UTC"}, "every 2 hours (UTC)"},
		{"nl", "debat.too_many", []any{1}, "Er staat al 1 debat gepland"},
		{"en", "debat.too_many", []any{1}, "1 debate is already planned"},
	}
	for _, tc := range tests {
		got := catalogFor(tc.lang).T(tc.key, tc.args...)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s %s %v = %q, want it to start with %q", tc.lang, tc.key, tc.args, got, tc.want)
		}
	}
}

func TestAMessageWithTwoFormsAndNoCountTakesThePlural(t *testing.T) {
	c := catalog{"k": "one" + plural + "other", "s": "one %s" + plural + "other %s"}
	if got := c.T("k"); got != "other" {
		t.Errorf("T without arguments = %q, want the plural form", got)
	}
	if got := c.T("s", "1"); got != "other 1" {
		t.Errorf("a string is not a count: got %q", got)
	}
}
