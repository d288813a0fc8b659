package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/store"
)

// askResult is the --json contract of ask for poll commands.
type askResult struct {
	Text      string `json:"text"`
	Ephemeral bool   `json:"ephemeral"`
	Poll      *struct {
		ID       string `json:"id"`
		Kind     string `json:"kind"`
		Question string `json:"question"`
		Options  []struct {
			Key     string `json:"key"`
			Label   string `json:"label"`
			Cluster string `json:"cluster"`
			Votes   int    `json:"votes"`
		} `json:"options"`
		Voters    int  `json:"voters"`
		Closed    bool `json:"closed"`
		Anonymous bool `json:"anonymous"`
	} `json:"poll"`
}

func ask(t *testing.T, db, user string, command string) (askResult, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	args := []string{"ask", "--db", db, "--user", user, "--channel", "raad", "--json", command}
	code := runMain(context.Background(), args, strings.NewReader(""), &out, &errOut, nil)
	var r askResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%s: output is not JSON (%v): %s %s", command, err, out.String(), errOut.String())
	}
	return r, code
}

func TestAskRunsAPollThroughTheJSONContract(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	r, code := ask(t, db, "anna", "/casus anoniem max=2 Mag de gemeente inkomensgegevens voor de energietoeslag gebruiken? | bestaanszekerheid, privacy, autonomie")
	if code != 0 || r.Poll == nil {
		t.Fatalf("casus: exit %d: %s", code, r.Text)
	}
	p := r.Poll
	if p.Kind != "waarden" || !p.Anonymous || p.Closed || p.Voters != 0 || len(p.Options) != 3 ||
		!strings.HasPrefix(p.Question, "Mag de gemeente") || p.Options[1].Key != "privacy" || p.Options[1].Cluster != "Vrijheid" ||
		p.Options[0].Cluster != "" || p.Options[0].Label != "Bestaanszekerheid" {
		t.Errorf("poll: %+v", *p)
	}
	id := p.ID
	steps := []struct {
		user, command string
		code          int
		voters        int
		closed        bool
	}{
		{"bob", "/stem " + id + " privacy, autonomie", 0, 1, false},
		{"carla", "/stem " + id + " privacy", 0, 2, false},
		{"carla", "/stem " + id + " 1 2 3", 1, 2, false}, // refused: max=2
		{"bob", "/uitslag " + id, 0, 2, false},
		{"bob", "/sluit " + id, 1, 2, false}, // refused: not the creator
		{"anna", "/sluit " + id, 0, 2, true},
		{"dirk", "/stem " + id + " privacy", 1, 2, true}, // refused: closed
	}
	for _, s := range steps {
		r, code := ask(t, db, s.user, s.command)
		if code != s.code || r.Poll == nil || r.Poll.ID != id || r.Poll.Voters != s.voters || r.Poll.Closed != s.closed {
			t.Fatalf("%s %s: exit %d, poll %+v; want exit %d, %d voters, closed %v: %s", s.user, s.command, code, r.Poll, s.code, s.voters, s.closed, r.Text)
		}
	}
	r, _ = ask(t, db, "bob", "/uitslag "+id)
	counts := map[string]int{}
	for _, o := range r.Poll.Options {
		counts[o.Key] = o.Votes
	}
	if counts["privacy"] != 2 || counts["autonomie"] != 1 || counts["bestaanszekerheid"] != 0 {
		t.Errorf("final counts %v", counts)
	}
	// Privacy and Autonomie share a cluster: no tension between them.
	if strings.Contains(r.Text, "Privacy (Vrijheid) ↔ Autonomie") {
		t.Errorf("values of one cluster shown as a tension: %s", r.Text)
	}
}

func TestAskLookupNeverTouchesTheDataFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "new", "w.db")
	if r, code := ask(t, missing, "anna", "/waarde privacy"); code != 0 || r.Poll != nil {
		t.Fatalf("/waarde: exit %d: %s", code, r.Text)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("/waarde created the data file (%v)", err)
	}
	// A running bot holds the file: lookups still answer, a vote says
	// something went wrong without a Go error.
	held := filepath.Join(dir, "held.db")
	st, err := store.Open(held)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if r, code := ask(t, held, "anna", "/vragen beveiliging"); code != 0 {
		t.Errorf("/vragen with the file in use: exit %d: %s", code, r.Text)
	}
	r, code := ask(t, held, "anna", "/stem ab3k privacy")
	if code != 1 || !strings.Contains(r.Text, "Er ging iets mis aan mijn kant") || strings.Contains(r.Text, "database") {
		t.Errorf("/stem with the file in use: exit %d: %s", code, r.Text)
	}
}

func TestConsoleRunsPollsAndPostsResultsMissedWhileDown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	// A poll whose deadline passed while no bot ran.
	past := time.Now().Add(-time.Hour)
	missed := poll.Poll{
		ID: "mmmm", Kind: poll.Statement, Where: bot.Destination{Platform: "console", Channel: "console"},
		Creator: "anna", Question: "Gemiste stelling", Max: 1, Created: past.Add(-time.Hour), ClosesAt: past,
		Options: []poll.Option{{Key: "eens", Label: "eens"}, {Key: "oneens", Label: "oneens"}},
	}
	if err := st.CreatePoll(context.Background(), missed); err != nil {
		t.Fatal(err)
	}
	st.Close()

	run := func(input string) string {
		var out, errOut bytes.Buffer
		code := runMain(context.Background(), []string{"console", "--db", db}, strings.NewReader(input), &out, &errOut, nil)
		if code != 0 {
			t.Fatalf("console: exit %d: %s", code, errOut.String())
		}
		return out.String()
	}
	out := run("/stelling De raad moet dit bespreken.\n/peilingen\n")
	if strings.Count(out, "Peiling `mmmm` is gesloten: de tijd is om.") != 1 {
		t.Errorf("missed result not posted once at start:\n%s", out)
	}
	if !strings.Contains(out, "De raad moet dit bespreken.") || !strings.Contains(out, "Open peilingen in dit kanaal (1)") {
		t.Errorf("poll not made or listed:\n%s", out)
	}
	if out := run("/peilingen\n"); strings.Contains(out, "mmmm") {
		t.Errorf("missed result posted again after a restart:\n%s", out)
	}
}

func TestAskSaysWhenARunningBotHoldsTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "held.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out, errOut, code := run(t, "", nil, "ask", "--db", path, "/peilingen")
	if code != exitRefused || !strings.Contains(errOut, "database in use") || !strings.Contains(errOut, "--db") {
		t.Errorf("code %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A lookup never needs the file and works all the same.
	if _, errOut, code := run(t, "", nil, "ask", "--db", path, "/waarde privacy"); code != exitOK || errOut != "" {
		t.Errorf("lookup: code %d stderr %q", code, errOut)
	}
}
