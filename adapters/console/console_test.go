package console

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/knowledge"
)

func TestPostPrintsScheduledMessagesWithTheirChannel(t *testing.T) {
	b := bot.New(knowledge.MustLoad(), bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	tests := []struct {
		lang, label string
	}{
		{"nl", "(bericht van waardenbot in #fractie)"},
		{"en", "(message from waardenbot in #fractie)"},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			var out testkit.Buffer
			c := New(b, strings.NewReader(""), &out, Config{Lang: tc.lang})
			err := c.Post(context.Background(), bot.Destination{Platform: "console", Channel: "fractie"}, bot.Reply{Text: "**Reflectie**", Thread: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := out.String(); !strings.HasPrefix(got, tc.label+"\n**Reflectie**\n") {
				t.Errorf("posted %q", got)
			}
		})
	}
}

func TestPostAndRepliesDoNotInterleave(t *testing.T) {
	b := bot.New(knowledge.MustLoad(), bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var out testkit.Buffer
	in := strings.NewReader(strings.Repeat("/help\n", 20))
	c := New(b, in, &out, Config{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 20 {
			c.Post(context.Background(), bot.Destination{Channel: "c"}, bot.Reply{Text: "GEPLAND"})
		}
	})
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for _, block := range strings.Split(out.String(), "\n\n") {
		if strings.Contains(block, "GEPLAND") && strings.Contains(block, "Commando's") {
			t.Fatalf("a post landed inside a reply:\n%s", block)
		}
	}
}
