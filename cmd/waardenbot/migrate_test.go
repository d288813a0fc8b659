package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/bot/store/postgres"
	"github.com/waardenbot/waardenbot/bot/store/storetest"
)

// compatCopy copies the data file of the first milestone (never
// regenerated) into a temporary folder, with the IDs of its polls.
func compatCopy(t *testing.T) (path string, ids map[string]string) {
	t.Helper()
	src, err := os.Open("../../bot/testdata/compat/main.db")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path = filepath.Join(t.TempDir(), "waardenbot.db")
	dst, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	dst.Close()
	raw, err := os.ReadFile("../../bot/testdata/compat/main.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &ids); err != nil {
		t.Fatal(err)
	}
	return path, ids
}

func TestMigrateThenBothStoresGiveTheSameAnswers(t *testing.T) {
	file, ids := compatCopy(t)
	dsn := storetest.Postgres(t)
	for range 2 { // it can be run again
		out, errOut, code := run(t, "", nil, "migrate", "--from", file, "--to", dsn)
		if code != exitOK || !strings.Contains(out, "copied 3 polls with 6 votes, 0 roster entries with 0 reminders claimed, 0 form origins, 2 schedules") {
			t.Fatalf("migrate: exit %d: %s %s", code, out, errOut)
		}
	}
	asks := []string{"/peilingen", "/reflectie status", "/debat lijst"}
	for _, id := range ids {
		asks = append(asks, "/uitslag "+id)
	}
	for _, command := range asks {
		fromFile, _, fileCode := run(t, "", nil, "ask", "--db", file, "--user", "anna", "--channel", "raad", "--json", command)
		fromDB, errOut, dbCode := run(t, "", nil, "ask", "--db", dsn, "--user", "anna", "--channel", "raad", "--json", command)
		if fromFile != fromDB || fileCode != dbCode {
			t.Errorf("%s: the file answers (exit %d)\n%s\nthe database (exit %d)\n%s%s", command, fileCode, fromFile, dbCode, fromDB, errOut)
		}
	}
	// A vote after the move lands in both as it would: the voters came
	// along with their keys.
	var answers []string
	for _, db := range []string{file, dsn} {
		for _, user := range []string{"anna", "bob", "zoe"} {
			out, _, _ := run(t, "", nil, "ask", "--db", db, "--user", user, "--channel", "raad", "--json", "/stem "+ids["open"]+" privacy")
			answers = append(answers, out)
		}
	}
	for i := range 3 {
		if answers[i] != answers[i+3] {
			t.Errorf("vote %d: the file answers\n%s\nthe database\n%s", i, answers[i], answers[i+3])
		}
	}
}

func TestMigrateCopiesRostersClaimsAndOrigins(t *testing.T) {
	// A poll made from a form with a reminder, its roster, one reminder
	// claimed and one vote, and a repeat of it made with ask.
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "waardenbot.db")
	st, err := store.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	p := storetest.Poll("ab3k", "raad")
	p.ClosesAt, p.RemindBefore, p.Origin = storetest.T0.Add(2*time.Hour), time.Hour, "slack/V123"
	people := []poll.Remindee{{User: "anna", Voter: "anna", Key: "anna"}, {User: "bob", Voter: "bob", Key: "bob"}, {User: "zoe", Voter: "zoe", Key: "zoe"}}
	if err := st.CreatePoll(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRoster(ctx, p.ID, []string{"anna", "bob", "zoe"}); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := st.Vote(ctx, p.ID, storetest.As("zoe"), storetest.Choose("eens")); err != nil {
		t.Fatal(err)
	}
	if got, err := st.ClaimReminders(ctx, p.ID, storetest.T0.Add(time.Hour), people[:1]); err != nil || len(got) != 1 {
		t.Fatalf("claim: %v (%v)", got, err)
	}
	st.Close()
	out, errOut, code := run(t, "", nil, "ask", "--db", file, "--user", "anna", "--channel", "raad", "--json", "/stelling opnieuw "+p.ID)
	var repeat struct {
		Poll struct{ ID string } `json:"poll"`
	}
	if err := json.Unmarshal([]byte(out), &repeat); err != nil || code != exitOK {
		t.Fatalf("repeat: exit %d %v: %s %s", code, err, out, errOut)
	}

	dsn := storetest.Postgres(t)
	out, errOut, code = run(t, "", nil, "migrate", "--from", file, "--to", dsn)
	if code != exitOK || !strings.Contains(out, "copied 2 polls with 1 votes, 3 roster entries with 1 reminders claimed, 1 form origins") {
		t.Fatalf("migrate: exit %d: %s %s", code, out, errOut)
	}
	for _, id := range []string{p.ID, repeat.Poll.ID} {
		fromFile, _, _ := run(t, "", nil, "ask", "--db", file, "--user", "anna", "--channel", "raad", "--json", "/uitslag "+id)
		fromDB, errOut, _ := run(t, "", nil, "ask", "--db", dsn, "--user", "anna", "--channel", "raad", "--json", "/uitslag "+id)
		if fromFile != fromDB || !strings.Contains(fromFile, `"repeat`) {
			t.Errorf("/uitslag %s: the file answers\n%s\nthe database\n%s%s", id, fromFile, fromDB, errOut)
		}
	}
	// The database goes on where the file stopped: anna was reminded and
	// zoe voted, so only bob is left; the form's origin is taken.
	db, err := postgres.Open(ctx, dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.ClaimReminders(ctx, p.ID, storetest.T0.Add(90*time.Minute), people); err != nil || len(got) != 1 || got[0].User != "bob" {
		t.Errorf("claimed %v (%v), want bob", got, err)
	}
	again := storetest.Poll("cd4m", "raad")
	again.Origin = p.Origin
	if err := db.CreatePoll(ctx, again); !errors.Is(err, poll.ErrDuplicate) {
		t.Errorf("a second poll from the form: %v", err)
	}
}

func TestMigrateRefusesAFileABotHolds(t *testing.T) {
	file, _ := compatCopy(t)
	held, err := store.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	_, errOut, code := run(t, "", nil, "migrate", "--from", file, "--to", "postgres://nobody@127.0.0.1:9/none")
	if code != exitRefused || !strings.Contains(errOut, "stop the bot before copying its file") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestMigrateUsage(t *testing.T) {
	file, _ := compatCopy(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"no database", []string{"migrate", "--from", file}, exitUsage},
		{"a file, not a database", []string{"migrate", "--from", file, "--to", "/tmp/other.db"}, exitUsage},
		{"no such file", []string{"migrate", "--from", filepath.Join(t.TempDir(), "none.db"), "--to", "postgres://nobody@127.0.0.1:9/none"}, exitRefused},
		{"an argument too many", []string{"migrate", "--from", file, "--to", "postgres://x@y/z", "more"}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, errOut, code := run(t, "", nil, tc.args...); code != tc.code {
				t.Errorf("exit %d, want %d: %s", code, tc.code, errOut)
			}
		})
	}
}

// TestExportReadsThePostgreSQLDatabase: `waardenbot export --db
// postgres://…` reads the polls there, as ask and the console do, and
// gives what the same export of the file gives.
func TestExportReadsThePostgreSQLDatabase(t *testing.T) {
	file, ids := compatCopy(t)
	dsn := storetest.Postgres(t)
	if _, errOut, code := run(t, "", nil, "migrate", "--from", file, "--to", dsn); code != exitOK {
		t.Fatalf("migrate: exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{{"--poll", ids["open"], "--format", "csv"}, {"--channel", "raad", "--format", "csv"}} {
		fromFile, _, fileCode := run(t, "", nil, append([]string{"export", "--db", file}, args...)...)
		fromDB, errOut, dbCode := run(t, "", nil, append([]string{"export", "--db", dsn}, args...)...)
		if dbCode != exitOK || fromDB == "" || fromDB != fromFile || fileCode != dbCode {
			t.Errorf("export %v: the file gives (exit %d)\n%s\nthe database (exit %d)\n%s%s", args, fileCode, fromFile, dbCode, fromDB, errOut)
		}
	}
}
