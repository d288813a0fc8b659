package console

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
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

func TestFilesAreSavedInTheFolderAndTheConsoleSaysWhere(t *testing.T) {
	b := bot.New(knowledge.MustLoad(), bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	dir := filepath.Join(t.TempDir(), "export")
	var out testkit.Buffer
	c := New(b, strings.NewReader(""), &out, Config{Files: dir})
	r := bot.Reply{Text: "**Uitslag**", Files: []bot.File{{Name: "peiling-ab3k-grafiek.png", Data: []byte("png")}, {Name: "../ontsnapt.csv", Data: []byte("a;b")}}}
	if err := c.Post(context.Background(), bot.Destination{Channel: "raad"}, r); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"peiling-ab3k-grafiek.png": "png", "ontsnapt.csv": "a;b"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(data) != want {
			t.Errorf("%s: %q %v", name, data, err)
		}
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is readable by others: %v", name, fi.Mode())
		}
	}
	if got := out.String(); !strings.Contains(got, "**Uitslag**\nOpgeslagen in "+dir+": peiling-ab3k-grafiek.png, ontsnapt.csv\n") {
		t.Errorf("the console says:\n%s", got)
	}
}
