package bot_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

func TestKeyIsStableAcrossRestartsAndDiffersPerPurpose(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, bot.Config{})
	a, err := f.bot.Key(ctx, "mattermost actions")
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.bot.Key(ctx, "something else")
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 32 || bytes.Equal(a, other) {
		t.Fatalf("keys %x and %x: want two different 32-byte keys", a, other)
	}
	f.restart()
	again, err := f.bot.Key(ctx, "mattermost actions")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, again) {
		t.Errorf("the key changed after a restart: %x, then %x", a, again)
	}
}

func TestKeyWithoutStoreIsRefused(t *testing.T) {
	b := bot.New(kb, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := b.Key(context.Background(), "x"); !errors.Is(err, bot.ErrNoPolls) {
		t.Errorf("err %v, want ErrNoPolls", err)
	}
}
