package bot_test

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/knowledge"
)

// TestCacheableAnswersDependOnTheArgumentsAlone asks every cacheable
// command (and an unknown one) the same things as two people in different
// places, at different times, of a bot with a data file and one without:
// the answers are the same, text alone, and nobody was asked whether
// they are an admin.
func TestCacheableAnswersDependOnTheArgumentsAlone(t *testing.T) {
	ctx := context.Background()
	withStore := newStoreBot(t)
	later := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	bare := bot.New(knowledge.MustLoad(), bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)),
		bot.WithClock(func() time.Time { return later }))
	noAdmin := func(context.Context) bool {
		t.Error("a cacheable command asked whether the user is an admin")
		return true
	}
	anna := bot.Request{Platform: "slack", Team: "T1", Channel: "C1", User: "U1", UserName: "anna", Admin: noAdmin}
	bert := bot.Request{Platform: "mattermost", Team: "T2", Channel: "C2", User: "U2", UserName: "bert", Admin: noAdmin}
	args := []string{"", "privacy", "Privasy", "  privacy ", "algoritme", "xyzzy", "beveiliging", "openbare ruimte",
		"5g", "aanbieders", strings.Repeat("privacy ", 30)}
	commands := []string{"wardee"}
	for _, c := range withStore.Commands() {
		if withStore.Cacheable(c.Name) {
			commands = append(commands, c.Name)
		}
		for _, alias := range c.Aliases {
			if withStore.Cacheable(alias) != withStore.Cacheable(c.Name) {
				t.Errorf("/%s and its alias /%s differ in Cacheable", c.Name, alias)
			}
		}
	}
	if len(commands) < 4 {
		t.Fatalf("cacheable: %v; want at least the lookups and the help", commands[1:])
	}
	for _, name := range commands {
		if !withStore.Instant(name) {
			t.Errorf("/%s is cacheable but not Instant", name)
		}
		for _, arg := range args {
			a, b := anna, bert
			a.Command, a.Args = name, arg
			b.Command, b.Args = "/"+strings.ToUpper(name), arg
			got, want := withStore.Handle(ctx, a), bare.Handle(ctx, b)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("/%s %q: answers differ:\n%+v\n%+v", name, arg, got, want)
			}
			if got.Text == "" || got.Poll != nil || got.Form != nil || len(got.Files) > 0 || got.NewPoll || got.Changed {
				t.Errorf("/%s %q: a cacheable answer is text alone: %+v", name, arg, got)
			}
		}
	}
	for _, name := range []string{"casus", "stem", "uitslag", "reflectie", "debat", "peilingen"} {
		if withStore.Cacheable(name) {
			t.Errorf("/%s depends on the data file, and is not cacheable", name)
		}
	}
}
