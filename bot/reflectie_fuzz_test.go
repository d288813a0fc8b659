package bot_test

import (
	"context"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

// FuzzReflectieCalendar feeds arbitrary text to the /reflectie subcommands
// that read dates and rules: the bot must answer or refuse, never fail on
// its side or panic, and never post a whole-channel mention.
func FuzzReflectieCalendar(f *testing.F) {
	for _, s := range []string{
		"pauze tot 2027-01-10", "pauze 2027-07-10 2027-08-29", "pauze 10-07-2027 tot 29-08-2027",
		"pauze tot en met 31-12-2026", "pauze t/m 2027-02-30", "pauze 99999-99-99 1-1-1", "pauze tot 0000-00-00",
		"feestdagen volgende werkdag", "feestdagen @channel", "overslaan", "hervat", "pauze – – tot",
	} {
		f.Add(s)
	}
	fx := newFixture(f, bot.Config{})
	ctx := context.Background()
	if r := fx.bot.HandleText(ctx, req("u1", "c1"), "/reflectie aan"); r.Status != bot.Answered {
		f.Fatalf("/reflectie aan: %s", r.Text)
	}
	f.Fuzz(func(t *testing.T, args string) {
		check(t, fx.bot.HandleText(ctx, req("u1", "c1"), "/reflectie "+args))
		check(t, fx.bot.HandleText(ctx, req("u1", "c1"), "/reflectie status"))
	})
}
