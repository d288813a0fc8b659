package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/waardenbot/waardenbot/bot/store/storetest"
)

func TestNewOpensTheFileOnlyWhenAMethodNeedsIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "waardenbot.db")
	s := New(path)
	defer s.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("New touched the file: %v", err)
	}
	if err := s.Err(); err != nil {
		t.Fatalf("Err before any method: %v", err)
	}
	secret, err := s.Secret(context.Background())
	if err != nil || len(secret) != 32 {
		t.Fatalf("Secret: %d bytes, %v", len(secret), err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the first method did not create the file: %v", err)
	}
	if err := s.CreatePoll(context.Background(), storetest.Poll("aaaa", "raad")); err != nil {
		t.Fatal(err)
	}
}

func TestCloseIsFinal(t *testing.T) {
	ctx := context.Background()
	for _, opened := range []bool{true, false} {
		s := New(filepath.Join(t.TempDir(), "w.db"))
		if opened {
			if err := s.CreatePoll(ctx, storetest.Poll("aaaa", "raad")); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatalf("opened %v: Close: %v", opened, err)
		}
		if _, _, err := s.Poll(ctx, "aaaa"); !errors.Is(err, ErrClosed) {
			t.Errorf("opened %v: Poll after Close: %v, want ErrClosed (never a file opened again)", opened, err)
		}
		if _, err := s.Secret(ctx); !errors.Is(err, ErrClosed) {
			t.Errorf("opened %v: Secret after Close: %v, want ErrClosed", opened, err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	}
}

func TestAFileInUseIsReportedByTheMethodAndByErr(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	held, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if _, err := Open(path); !errors.Is(err, ErrInUse) {
		t.Errorf("Open of a held file: %v, want ErrInUse", err)
	}
	s := New(path)
	defer s.Close()
	if _, _, err := s.Poll(context.Background(), "aaaa"); !errors.Is(err, ErrInUse) {
		t.Errorf("Poll: %v, want ErrInUse", err)
	}
	if !errors.Is(s.Err(), ErrInUse) {
		t.Errorf("Err: %v, want ErrInUse", s.Err())
	}
}
