package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRecessesAreRefusedWithTheKeyNamed(t *testing.T) {
	zomer := "[[schedule.recess]]\nname = \"zomerreces\"\nfrom = 2027-07-10\nto = 2027-08-29\n"
	tests := []struct {
		name, toml, key, problem string
	}{
		{"ends before it starts", "[[schedule.recess]]\nname = \"kerstreces\"\nfrom = 2027-12-24\nto = 2027-12-18\n",
			"schedule.recess[1].to", "kerstreces ends on 2027-12-18, before it starts (2027-12-24)"},
		{"overlaps another", zomer + "[[schedule.recess]]\nname = \"herfstreces\"\nfrom = \"2027-08-25\"\nto = 2027-09-05\n",
			"schedule.recess[2].from", "overlaps recess 1, zomerreces"},
		{"unknown field", zomer + "kleur = \"oranje\"\n", "schedule.recess.kleur", "unknown key"},
		{"a time of day", "[[schedule.recess]]\nname = \"x\"\nfrom = 2027-07-10T09:00:00\nto = 2027-08-29\n",
			"schedule.recess[1].from", "has a time of day"},
		{"not a date", "[[schedule.recess]]\nname = \"x\"\nfrom = 2027-07-10\nto = \"eind augustus\"\n",
			"schedule.recess[1].to", "is not a date"},
		{"no name", "[[schedule.recess]]\nfrom = 2027-07-10\nto = 2027-08-29\n", "schedule.recess[1].name", "missing"},
		{"no end", "[[schedule.recess]]\nname = \"x\"\nfrom = 2027-07-10\n", "schedule.recess[1].to", "missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.toml")
			if err := os.WriteFile(path, []byte("[schedule]\ngood_friday = true\n"+tc.toml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, errOut, code := run(t, "", nil, "ask", "--config", path, "/help")
			if code != exitUsage || !strings.Contains(errOut, "config: "+tc.key+": ") || !strings.Contains(errOut, tc.problem) {
				t.Errorf("exit %d, stderr %q; want a config error naming %s: …%s…", code, errOut, tc.key, tc.problem)
			}
		})
	}
	if _, errOut, code := run(t, "", []string{"WAARDENBOT_SCHEDULE_RECESS=zomer"}, "ask", "/help"); code != exitUsage || !strings.Contains(errOut, "WAARDENBOT_SCHEDULE_RECESS") {
		t.Errorf("recess from the environment: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run(t, "", []string{"WAARDENBOT_SCHEDULE_GOOD_FRIDAY=ja"}, "ask", "/help"); code != exitUsage || !strings.Contains(errOut, "WAARDENBOT_SCHEDULE_GOOD_FRIDAY") {
		t.Errorf("good_friday from the environment: exit %d, %q", code, errOut)
	}
}

// TestAskShowsTheCalendar: `ask` reads the recesses from the
// configuration, as run does, and keeps a pause in the data file.
func TestAskShowsTheCalendar(t *testing.T) {
	dir := t.TempDir()
	today := time.Now()
	cfg := filepath.Join(dir, "w.toml")
	recess := "[[schedule.recess]]\nname = \"testreces\"\nfrom = " + today.AddDate(0, 0, -1).Format(time.DateOnly) +
		"\nto = " + today.AddDate(0, 0, 20).Format(time.DateOnly) + "\n"
	if err := os.WriteFile(cfg, []byte(recess), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "w.db")
	pauseEnd := today.AddDate(0, 2, 0)
	steps := []struct {
		cmd  string
		code int
		want string
	}{
		{"/reflectie aan", exitOK, "staat aan"},
		{"/reflectie status", exitOK, "- geen reflectie tijdens het testreces (tot en met "},
		{"/reflectie pauze tot " + pauseEnd.Format("02-01-2006"), exitOK, "pauzeert van"},
		{"/reflectie status", exitOK, "- geen reflectie: gepauzeerd van "},
		{"/reflectie hervat", exitOK, "weer volgens schema"},
		{"/reflectie feestdagen negeren", exitOK, "komt de reflectie gewoon"},
		{"/reflectie feestdagen", exitOK, "komt de reflectie gewoon"},
		{"/reflectie pauze tot gisteren", exitRefused, "geen datum"},
	}
	for _, s := range steps {
		out, errOut, code := run(t, "", nil, "ask", "--config", cfg, "--db", db, s.cmd)
		if code != s.code || !strings.Contains(out, s.want) {
			t.Errorf("ask %q: exit %d (want %d), output %q lacks %q; stderr %s", s.cmd, code, s.code, out, s.want, errOut)
		}
	}
}

// TestConsoleTakesTheCalendarSubcommands: the console passes them to the
// bot like any command.
func TestConsoleTakesTheCalendarSubcommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	in := "/reflectie aan\n/reflectie overslaan\n/reflectie status\n/reflectie hervat\n"
	code, out, errOut := runCLI(t, in, nil, "console", "--db", db)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"slaat dit kanaal over", "overgeslagen met `/reflectie overslaan`", "weer volgens schema"} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
}
