package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot/store"
)

// export runs `waardenbot export` with args and returns stdout, stderr and
// the exit code.
func export(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runMain(context.Background(), append([]string{"export"}, args...), strings.NewReader(""), &out, &errOut, nil)
	return out.String(), errOut.String(), code
}

func TestExportWritesEachFormatOfAPollAndAChannel(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	r, _ := ask(t, db, "anna", "/casus Mag de gemeente camera's ophangen? | privacy, orde")
	id := r.Poll.ID
	ask(t, db, "bob", "/stem "+id+" orde")
	if _, code := ask(t, db, "anna", "/sluit "+id); code != 0 {
		t.Fatal("close")
	}
	if _, err := os.Stat(filepath.Join(dir, "export", "peiling-"+id+"-grafiek.png")); err != nil {
		t.Errorf("ask did not save the chart of the close beside the data file: %v", err)
	}

	csv, _, code := export(t, "--db", db, "--poll", id, "--format", "csv")
	if code != 0 || !strings.HasPrefix(csv, "\ufeffpeiling;soort;") || !strings.Contains(csv, ";orde;Orde;Hiërarchie;ja;1;100,0;100,0\r\n") {
		t.Errorf("csv: exit %d\n%s", code, csv)
	}
	var data struct {
		ID     string `json:"id"`
		Voters int    `json:"voters"`
	}
	js, _, code := export(t, "--db", db, "--poll", strings.ToUpper(id), "--format", "json")
	if code != 0 || json.Unmarshal([]byte(js), &data) != nil || data.ID != id || data.Voters != 1 {
		t.Errorf("json: exit %d: %s", code, js)
	}
	for _, format := range []string{"md", "html"} {
		if doc, _, code := export(t, "--db", db, "--poll", id, "--format", format); code != 0 || !strings.Contains(doc, "Gewogen waarden") {
			t.Errorf("%s: exit %d", format, code)
		}
	}
	out := filepath.Join(dir, "out", "chart.png")
	if _, stderr, code := export(t, "--db", db, "--poll", id, "--format", "png", "--out", out); code != 0 || !strings.Contains(stderr, out) {
		t.Errorf("png: exit %d: %s", code, stderr)
	}
	if f, err := os.Open(out); err != nil {
		t.Error(err)
	} else if _, err := png.Decode(f); err != nil {
		t.Errorf("png: %v", err)
	}
	if all, _, code := export(t, "--db", db, "--channel", "raad", "--format", "csv"); code != 0 || strings.Count(all, "\r\n") != 3 {
		t.Errorf("channel: exit %d\n%s", code, all)
	}
}

func TestExportRefusesClearly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	r, _ := ask(t, db, "anna", "/stelling verborgen De gemeente publiceert al haar algoritmes")
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"no poll and no channel", []string{"--db", db, "--format", "csv"}, exitUsage, "either --poll ID or --channel ID"},
		{"an unknown format", []string{"--db", db, "--poll", r.Poll.ID, "--format", "pdf"}, exitUsage, `unknown format "pdf"; choose one of csv, png, md, html, json`},
		{"a channel in another format", []string{"--db", db, "--channel", "raad", "--format", "png"}, exitUsage, "--channel exports csv only"},
		{"an unknown poll", []string{"--db", db, "--poll", "zzzz", "--format", "csv"}, exitRefused, `no poll "zzzz"`},
		{"an unknown channel", []string{"--db", db, "--channel", "elders", "--format", "csv"}, exitRefused, `no polls of channel "elders"`},
		{"counts hidden", []string{"--db", db, "--poll", r.Poll.ID, "--format", "csv"}, exitRefused, "hides its counts until it closes"},
		{"no data file", []string{"--db", filepath.Join(dir, "nope.db"), "--poll", r.Poll.ID, "--format", "csv"}, exitRefused, "no data file at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := export(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.says) || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d saying %q", code, stderr, out, tc.code, tc.says)
			}
		})
	}

	// A running bot holds the file: say what to do instead.
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, stderr, code := export(t, "--db", db, "--poll", r.Poll.ID, "--format", "csv")
	if code != exitRefused || !strings.Contains(stderr, "A running waardenbot holds the data file") || !strings.Contains(stderr, "/uitslag ID csv") || !strings.Contains(stderr, "copy") {
		t.Errorf("file in use: exit %d: %s", code, stderr)
	}
}
