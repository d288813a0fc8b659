package mattermost

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
)

func TestSplitCutsAtTheBestBoundaryWithinTheLimit(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		max   int
		parts []string
	}{
		{"short stays whole", "**Privacy**\n\nkort", 100, []string{"**Privacy**\n\nkort"}},
		{"empty stays one part", "", 100, []string{""}},
		{"at a paragraph", "aaaa aaaa\n\nbbbb bbbb", 15, []string{"aaaa aaaa", "bbbb bbbb"}},
		{"at a line when no paragraph fits", "- aaaa aaaa\n- bbbb bbbb", 15, []string{"- aaaa aaaa", "- bbbb bbbb"}},
		{"at a space in one long line", "aaaa bbbb cccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"hard in a word without spaces", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"counts runes, not bytes", "ëëëë ëëëë", 5, []string{"ëëëë", "ëëëë"}},
		{"no paragraph in the first half", "a\n\n" + strings.Repeat("b", 20), 12, []string{"a\n\nbbbbbbbbb", "bbbbbbbbbbb"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := split(tc.text, tc.max)
			if strings.Join(got, "|") != strings.Join(tc.parts, "|") {
				t.Errorf("split = %q, want %q", got, tc.parts)
			}
		})
	}
}

func TestSplitAtMattermostsLimitKeepsEveryParagraph(t *testing.T) {
	if model.PostMessageMaxRunesV2 != 16383 {
		t.Fatalf("Mattermost's limit is now %d runes: check maxRunes", model.PostMessageMaxRunesV2)
	}
	var paras []string
	for i := 0; i < 400; i++ {
		paras = append(paras, "**Alinea** "+strings.Repeat("é", 80)) // 91 runes, 171 bytes
	}
	text := strings.Join(paras, "\n\n")
	parts := split(text, model.PostMessageMaxRunesV2)
	if len(parts) < 3 {
		t.Fatalf("%d runes in %d parts", utf8.RuneCountInString(text), len(parts))
	}
	total := 0
	for i, p := range parts {
		if n := utf8.RuneCountInString(p); n > model.PostMessageMaxRunesV2 {
			t.Errorf("part %d has %d runes", i, n)
		}
		if !strings.HasPrefix(p, "**Alinea** ") || !strings.HasSuffix(p, "é") {
			t.Errorf("part %d is not cut between paragraphs: %q…%q", i, p[:20], p[len(p)-20:])
		}
		total += strings.Count(p, "**Alinea**")
	}
	if total != 400 {
		t.Errorf("%d paragraphs after splitting, want 400", total)
	}
}

// liveBroadcast is a whole-channel mention Mattermost would notify.
var liveBroadcast = regexp.MustCompile(`(?i)@(channel|here|all)\b`)

func TestNothingPostedPingsAChannel(t *testing.T) {
	f := newFake(t)
	a := newTestAdapter(t, f, Config{}, nil)
	ctx := context.Background()

	// A reply that echoes user text, as a not-found answer does.
	reply := a.bot.Handle(ctx, bot.Request{Platform: Platform, Channel: "c1", User: "u1", Command: "waarde", Args: "@channel @here kom allemaal"})
	if !strings.Contains(reply.Text, "channel") {
		t.Fatalf("the reply does not echo the query: %q", reply.Text)
	}
	if err := a.Post(ctx, bot.Destination{Platform: Platform, Channel: "c1"}, reply); err != nil {
		t.Fatal(err)
	}
	// And a reply whose text was not neutralised by the core.
	if err := a.Post(ctx, bot.Destination{Platform: Platform, Channel: "c1"}, bot.Reply{Text: "Stem nu @all, @channel!"}); err != nil {
		t.Fatal(err)
	}
	posts := f.postsIn("c1")
	if len(posts) != 2 {
		t.Fatalf("%d posts, want 2", len(posts))
	}
	for _, p := range posts {
		if liveBroadcast.MatchString(p.Message) {
			t.Errorf("post pings the channel: %q", p.Message)
		}
		if !strings.Contains(p.Message, "channel") {
			t.Errorf("the words are gone: %q", p.Message)
		}
	}

	// The slash command response too.
	a.tokens.add("cmdtoken")
	rec := postCommand(a.Handler(), commandForm("cmdtoken", "/waarde", "@channel"), "Token cmdtoken")
	if liveBroadcast.MatchString(rec.Body.String()) {
		t.Errorf("command response pings the channel: %s", rec.Body)
	}
}

func TestPostSplitsLongRepliesIntoSeveralPosts(t *testing.T) {
	f := newFake(t)
	a := newTestAdapter(t, f, Config{}, nil)
	a.maxRunes = 50
	text := strings.Repeat("Een alinea van de reflectievraag.\n\n", 5)
	if err := a.Post(context.Background(), bot.Destination{Platform: Platform, Channel: "c1"}, bot.Reply{Text: text}); err != nil {
		t.Fatal(err)
	}
	posts := f.postsIn("c1")
	if len(posts) != 5 {
		t.Fatalf("%d posts, want 5", len(posts))
	}
	for _, p := range posts {
		if p.Message != "Een alinea van de reflectievraag." || p.RootId != "" {
			t.Errorf("post %q in thread %q", p.Message, p.RootId)
		}
	}
}

func TestPostRefusesAnotherPlatformsDestination(t *testing.T) {
	f := newFake(t)
	a := newTestAdapter(t, f, Config{}, nil)
	if err := a.Post(context.Background(), bot.Destination{Platform: "slack", Channel: "C1"}, bot.Reply{Text: "x"}); err == nil {
		t.Error("posted a Slack destination to Mattermost")
	}
}
