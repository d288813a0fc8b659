package bot_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/poll"
)

// votedCasus starts anna's casus in c1 and has bob, carla and dirk vote.
func votedCasus(f *fixture) string {
	f.t.Helper()
	id := f.mustPoll("anna", "c1", casus).ID
	for user, choice := range map[string]string{"bob": "privacy, gelijkheid", "carla": "privacy", "dirk": "keuzevrijheid"} {
		if r := f.do(user, "c1", "/stem "+id+" "+choice); r.Status != bot.Answered {
			f.t.Fatalf("%s: %s", user, r.Text)
		}
	}
	return id
}

// readCSV parses a CSV file with its byte-order mark and separator.
func readCSV(t *testing.T, data []byte, sep rune) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(data, []byte("\ufeff"))
	if !ok {
		t.Fatal("no byte-order mark")
	}
	r := csv.NewReader(bytes.NewReader(rest))
	r.Comma = sep
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestUitslagMakesEachFileInTheBotsLanguage(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := votedCasus(f)

	r := f.do("erik", "c1", "/uitslag "+id+" grafiek")
	if r.Status != bot.Answered || r.Ephemeral || len(r.Files) != 1 || !strings.Contains(r.Text, "Stemmen per optie") {
		t.Fatalf("grafiek: %+v", r)
	}
	chart := r.Files[0]
	if chart.Name != "peiling-"+id+"-grafiek.png" || chart.Type != "image/png" || !strings.Contains(chart.Alt, "Privacy 2 stemmen (67%)") {
		t.Errorf("chart file %q %q, alt %q", chart.Name, chart.Type, chart.Alt)
	}
	if _, err := png.Decode(bytes.NewReader(chart.Data)); err != nil {
		t.Errorf("chart: %v", err)
	}

	r = f.do("erik", "c1", "/uitslag "+id+" csv")
	if r.Status != bot.Answered || r.Ephemeral || len(r.Files) != 1 || !strings.Contains(r.Text, "peiling-"+id+"-uitslag.csv") {
		t.Fatalf("csv: %+v", r)
	}
	rows := readCSV(t, r.Files[0].Data, ';')
	if got := strings.Join(rows[0][:4], "|"); got != "peiling|soort|casus of stelling|anoniem" {
		t.Errorf("Dutch header %s", got)
	}
	if got := strings.Join(rows[1][12:], "|"); got != "optie|privacy|Privacy|Vrijheid|ja|2|66,7|50,0" {
		t.Errorf("first row %s", got)
	}

	r = f.do("erik", "c1", "/uitslag "+id+" paragraaf")
	if len(r.Files) != 2 || !strings.HasSuffix(r.Files[0].Name, ".md") || r.Files[1].Type != "text/html; charset=utf-8" {
		t.Fatalf("paragraaf: %+v", r)
	}
	md := string(r.Files[0].Data)
	for _, want := range []string{"# Publieke waarden bij deze casus", "## Gewogen waarden", "### Privacy (cluster Vrijheid)",
		"Het zwaarst woog Privacy: 2 stemmen, 67% van de deelnemers.", "## Verantwoording", "Toevoegingen van waardenbot"} {
		if !strings.Contains(md, want) {
			t.Errorf("the paragraph lacks %q:\n%s", want, md)
		}
	}

	en := newFixture(t, bot.Config{Lang: "en"})
	id = votedCasus(en)
	rows = readCSV(t, en.do("erik", "c1", "/uitslag "+id+" csv").Files[0].Data, ',')
	if got := strings.Join(rows[0][:2], "|") + " " + rows[1][19]; got != "poll|kind 50.0" {
		t.Errorf("English header and share: %s", got)
	}
}

func TestUitslagRefusesAnUnknownWordAndCountsThatAreHidden(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := votedCasus(f)
	if r := f.do("bob", "c1", "/uitslag "+id+" pdf"); r.Status != bot.Refused || !strings.Contains(r.Text, "`grafiek`") {
		t.Errorf("pdf: %+v", r)
	}
	hidden := f.mustPoll("anna", "c1", "/stelling verborgen Camera's horen niet in de binnenstad").ID
	f.do("bob", "c1", "/stem "+hidden+" eens")
	for _, word := range []string{"grafiek", "csv", "paragraaf", "stemmen"} {
		r := f.do("anna", "c1", "/uitslag "+hidden+" "+word)
		if r.Status != bot.Refused || len(r.Files) != 0 || !strings.Contains(r.Text, "pas als hij sluit") {
			t.Errorf("%s of a hidden open poll: %+v", word, r)
		}
	}
	if r := f.do("bob", "c2", "/uitslag "+id+" csv"); r.Status != bot.Refused || len(r.Files) != 0 {
		t.Errorf("csv from another channel: %+v", r)
	}
}

func TestWhoVotedWhatIsOnlyForTheCreatorOrAnAdminPrivatelyAndNeverAnonymous(t *testing.T) {
	f := newFixture(t, bot.Config{Admins: []string{"griffier"}})
	id := votedCasus(f)
	if r := f.do("bob", "c1", "/uitslag "+id+" stemmen"); r.Status != bot.Refused || len(r.Files) != 0 {
		t.Errorf("a voter: %+v", r)
	}
	for _, user := range []string{"anna", "griffier"} {
		r := f.do(user, "c1", "/uitslag "+id+" stemmen")
		if r.Status != bot.Answered || !r.Ephemeral || len(r.Files) != 1 {
			t.Fatalf("%s: %+v", user, r)
		}
		rows := readCSV(t, r.Files[0].Data, ';')
		if len(rows) != 4 || strings.Join(rows[1][:3], "|") != id+"|bob|Naam bob" {
			t.Errorf("%s got %v", user, rows)
		}
	}
	anon := f.mustPoll("anna", "c1", "/casus anoniem Tekst | privacy, orde").ID
	f.do("bob", "c1", "/stem "+anon+" orde")
	if r := f.do("anna", "c1", "/uitslag "+anon+" stemmen"); r.Status != bot.Refused || !strings.Contains(r.Text, "anoniem") {
		t.Errorf("anonymous poll: %+v", r)
	}
}

func TestClosingACasusCarriesItsChartAndAStatementNone(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := votedCasus(f)
	if r := f.do("anna", "c1", "/sluit "+id); len(r.Files) != 1 || r.Files[0].Type != "image/png" || !strings.Contains(r.Text, "Uitslag") {
		t.Errorf("closing a casus: %d files", len(r.Files))
	}
	st := f.mustPoll("anna", "c1", "/stelling Tekst").ID
	if r := f.do("anna", "c1", "/sluit "+st); len(r.Files) != 0 {
		t.Errorf("closing a statement carries %d files", len(r.Files))
	}
	due := f.mustPoll("anna", "c1", "/casus duur=1u Tekst | privacy, orde").ID
	f.do("bob", "c1", "/stem "+due+" orde")
	f.clock.Add(2 * time.Hour)
	p := &fakePoster{}
	if n, err := f.bot.CloseDue(context.Background(), p); n != 1 || err != nil || len(p.posts[0].r.Files) != 1 {
		t.Errorf("at the deadline: %d posted (%v)", n, err)
	}
}

func TestPeilingenCSVHasEveryPollOfTheChannelOnlyForTheAsker(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := votedCasus(f)
	f.do("anna", "c1", "/sluit "+id)
	open := f.mustPoll("anna", "c1", "/stelling Tekst").ID
	f.mustPoll("anna", "c2", "/stelling Elders")
	r := f.do("bob", "c1", "/peilingen csv")
	if !r.Ephemeral || len(r.Files) != 1 || r.Files[0].Name != "peilingen-c1.csv" {
		t.Fatalf("%+v", r)
	}
	rows := readCSV(t, r.Files[0].Data, ';')
	polls := map[string]int{}
	for _, row := range rows[1:] {
		polls[row[0]]++
	}
	if len(rows) != 1+4+3 || polls[id] != 4 || polls[open] != 3 {
		t.Errorf("rows per poll %v", polls)
	}
	if r := f.do("bob", "c3", "/peilingen csv"); len(r.Files) != 0 || r.Status != bot.Answered {
		t.Errorf("a channel without polls: %+v", r)
	}
	if r := f.do("bob", "c1", "/peilingen xls"); r.Status != bot.Refused {
		t.Errorf("xls: %+v", r)
	}
}

func TestParagraphShowsEarlierRoundsOfTheSameCasus(t *testing.T) {
	f := newFixture(t, bot.Config{})
	first := votedCasus(f)
	f.do("anna", "c1", "/sluit "+first)
	f.clock.Add(24 * time.Hour)
	second := f.mustPoll("anna", "c1", strings.Replace(casus, "toeslag,", "TOESLAG ,", 1)).ID
	f.do("bob", "c1", "/stem "+second+" toegankelijkheid")
	md := string(f.do("anna", "c1", "/uitslag "+second+" paragraaf").Files[0].Data)
	if !strings.Contains(md, "## Verloop") || !strings.Contains(md, "| Peiling "+first) {
		t.Errorf("no earlier round:\n%s", md)
	}
	if md := string(f.do("anna", "c1", "/uitslag "+first+" paragraaf").Files[0].Data); strings.Contains(md, "Verloop") {
		t.Error("the first round shows a round before it")
	}
}

func TestExportPollForTheCommandLine(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := votedCasus(f)
	for _, format := range bot.ExportFormats {
		file, err := f.bot.ExportPoll(context.Background(), id, format)
		if err != nil || len(file.Data) == 0 || !strings.HasSuffix(file.Name, "."+format) {
			t.Errorf("%s: %q (%v)", format, file.Name, err)
		}
	}
	if _, err := f.bot.ExportPoll(context.Background(), id, "pdf"); !errors.Is(err, bot.ErrUnknownFormat) {
		t.Errorf("pdf: %v", err)
	}
	if _, err := f.bot.ExportPoll(context.Background(), "zzzz", "csv"); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("unknown poll: %v", err)
	}
	if _, err := f.bot.ExportChannel(context.Background(), "nope"); !errors.Is(err, poll.ErrNotFound) {
		t.Errorf("unknown channel: %v", err)
	}
	hidden := f.mustPoll("anna", "c1", "/stelling verborgen Tekst").ID
	if _, err := f.bot.ExportPoll(context.Background(), hidden, "csv"); !errors.Is(err, poll.ErrCountsHidden) {
		t.Errorf("hidden: %v", err)
	}
}
