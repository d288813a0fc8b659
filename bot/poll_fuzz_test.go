package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

// FuzzPollCommands feeds arbitrary text to /casus, /stelling and /stem: the
// bot must answer or refuse, never fail on its side or panic, never post a
// whole-channel mention, and a created poll must follow the rules.
func FuzzPollCommands(f *testing.F) {
	for _, s := range []string{
		"max=2 duur=90m Tekst | privacy, gelijkheid",
		"anoniem verborgen tot=2026-12-01 17:00 Mag dit? | “privacy” ,  ‘orde’",
		"max=0 x | a, b", "duur=-5m x | a,b", "tot=2026-13-45 10:00 x | a,b",
		"@channel <!here> **vet** | privacy, @here", "x | a,b,c,d,e,f,g,h,i,j,k", "|||", "tot= 10:00",
		"duur=99999999999999999999d x | privacy, orde", "max=1 x | 1, 2, 3",
	} {
		f.Add(s, "privacy, 2")
	}
	fx := newFixture(f, bot.Config{})
	f.Fuzz(func(t *testing.T, args, vote string) {
		ctx := context.Background()
		for _, cmd := range []string{"/casus ", "/stelling "} {
			r := fx.bot.HandleText(ctx, req("u1", "c1"), cmd+args)
			check(t, r)
			if r.Poll == nil {
				continue
			}
			if n := len(r.Poll.Options); n < 2 || n > 10 || r.Poll.Max < 1 || r.Poll.Max > 10 {
				t.Fatalf("%s%q made a poll with %d options, max %d", cmd, args, n, r.Poll.Max)
			}
			check(t, fx.bot.HandleText(ctx, req("u2", "c1"), "/stem "+r.Poll.ID+" "+vote))
			check(t, fx.bot.Toggle(ctx, req("u2", "c1"), r.Poll.ID, vote))
		}
	})
}

func check(t *testing.T, r bot.Reply) {
	t.Helper()
	if r.Status == bot.Refused && strings.Contains(r.Text, "Er ging iets mis aan mijn kant") {
		t.Fatalf("internal error: %s", r.Text)
	}
	if m := broadcast.FindString(r.Text); m != "" {
		t.Fatalf("reply contains %s: %s", m, r.Text)
	}
}

// broadcast is a mention that notifies a whole channel on Slack or
// Mattermost: the word @channel, @here, @all or @everyone (not
// @channelhere, which names a user), or Slack's <!…>.
var broadcast = regexp.MustCompile(`(?i)@(channel|here|all|everyone)\b|<!`)
