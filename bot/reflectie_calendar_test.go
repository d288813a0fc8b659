package bot_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/calendar"
)

// gemeente is the calendar of a municipality that counts Goede Vrijdag,
// with a zomerreces in 2027.
func gemeente(t *testing.T) option {
	t.Helper()
	cal, err := calendar.New([]calendar.Recess{
		{Name: "zomerreces", From: calendar.Date{Year: 2027, Month: 7, Day: 10}, To: calendar.Date{Year: 2027, Month: 8, Day: 29}},
	}, calendar.Options{GoodFriday: true})
	if err != nil {
		t.Fatal(err)
	}
	return func(c *bot.Config) { c.Calendar = cal }
}

func startOn(t *testing.T, now time.Time, opts ...option) *harness {
	t.Helper()
	return newHarness(t, filepath.Join(t.TempDir(), "w.db"), testkit.NewClock(now), &fakePoster{}, append([]option{gemeente(t)}, opts...)...)
}

func english(c *bot.Config) { c.Lang = "en" }

func contains(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

func TestReflectieStatusInARecessNamesItAndShowsTheNextThreeAfter(t *testing.T) {
	h := startOn(t, local(2027, 7, 20, 10, 0))
	h.must("/reflectie aan")
	status := h.do("/reflectie status").Text
	contains(t, "status", status,
		"- geen reflectie tijdens het zomerreces (tot en met 29 augustus 2027)\n"+
			"- maandag 30 augustus 2027 om 09:00\n"+
			"- maandag 6 september 2027 om 09:00\n"+
			"- maandag 13 september 2027 om 09:00",
		"Op een feestdag schuift de reflectie naar de volgende werkdag")
	h = startOn(t, local(2027, 7, 20, 10, 0), english)
	h.must("/reflectie aan")
	contains(t, "English status", h.do("/reflectie status").Text,
		"- no prompt during the zomerreces (up to and including 29 August 2027)\n- Monday 30 August 2027 at 09:00")
}

func TestReflectieStatusShowsWhereARunMovedAndWhy(t *testing.T) {
	h := startOn(t, local(2027, 3, 22, 10, 0))
	h.must("/reflectie aan 0 9 * * 1,5")
	contains(t, "status", h.do("/reflectie status").Text,
		"- dinsdag 30 maart 2027 om 09:00, verschoven van vrijdag 26 maart 2027 (Goede Vrijdag)\n"+
			"- vrijdag 2 april 2027 om 09:00")
	h.must("/reflectie feestdagen overslaan")
	contains(t, "status with holidays skipped", h.do("/reflectie status").Text,
		"- vrijdag 26 maart 2027: geen reflectie (Goede Vrijdag)\n"+
			"- maandag 29 maart 2027: geen reflectie (Tweede Paasdag)\n"+
			"- vrijdag 2 april 2027 om 09:00",
		"Op een feestdag komt er geen reflectie.")
	h.must("/reflectie feestdagen negeren")
	contains(t, "status with holidays ignored", h.do("/reflectie status").Text,
		"- vrijdag 26 maart 2027 om 09:00\n- maandag 29 maart 2027 om 09:00\n")
}

func TestReflectieFeestdagenSaysTheRuleAndRefusesAnUnknownOne(t *testing.T) {
	h := startOn(t, local(2027, 3, 22, 10, 0))
	contains(t, "feestdagen", h.must("/reflectie feestdagen").Text, "schuift de reflectie naar de volgende werkdag", "`/reflectie feestdagen overslaan`")
	contains(t, "feestdagen overslaan", h.must("/reflectie feestdagen   Overslaan").Text, "komt er geen reflectie")
	contains(t, "holidays next", h.must("/reflectie holidays next working day").Text, "volgende werkdag")
	if r := h.do("/reflectie feestdagen soms"); r.Status != bot.Refused || !strings.Contains(r.Text, "`volgende werkdag`") {
		t.Errorf("unknown rule: %+v", r)
	}
}

// TestMovedPromptSaysWhereItMovedFrom: what the scheduler posts on the
// Tuesday after Tweede Paasdag says so.
func TestMovedPromptSaysWhereItMovedFrom(t *testing.T) {
	h := startOn(t, local(2027, 3, 22, 10, 0))
	h.must("/reflectie aan")
	h.restore()
	h.at(local(2027, 3, 29, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Fatalf("%d posts on Tweede Paasdag", n)
	}
	h.at(local(2027, 3, 30, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts on the Tuesday, want 1", n)
	}
	contains(t, "moved prompt", h.poster.last().r.Text, "_Verschoven van maandag 29 maart 2027 (Tweede Paasdag) naar de volgende werkdag._")
}

func TestReflectiePauzeTakesBothFormsOfDates(t *testing.T) {
	tests := []struct{ text, want string }{
		{"/reflectie pauze tot 2027-01-10", "pauzeert van 1 december 2026 tot en met 10 januari 2027"},
		{"/reflectie pauze tot en met 10-01-2027", "tot en met 10 januari 2027"},
		{"/reflectie pauze t/m 10-1-2027", "tot en met 10 januari 2027"},
		{"/reflectie pauze 2027-07-10 2027-08-29", "pauzeert van 10 juli 2027 tot en met 29 augustus 2027"},
		{"/reflectie pauze 10-07-2027 tot 29-08-2027", "pauzeert van 10 juli 2027 tot en met 29 augustus 2027"},
		{"/reflectie pause until 2027-01-10", "tot en met 10 januari 2027"},
	}
	for _, tc := range tests {
		h := startOn(t, local(2026, 12, 1, 10, 0))
		h.must("/reflectie aan")
		r := h.must(tc.text)
		contains(t, tc.text, r.Text, tc.want, "`/reflectie hervat`", "De volgende komt op")
		if r.Ephemeral {
			t.Errorf("%s: the channel should see that it pauses", tc.text)
		}
	}
}

func TestReflectieCalendarRefusals(t *testing.T) {
	tests := []struct {
		name, text, want string
		on               bool
	}{
		{"pause while off", "/reflectie pauze tot 2027-01-10", "staat uit", false},
		{"skip while off", "/reflectie overslaan", "staat uit", false},
		{"no dates", "/reflectie pauze", "/reflectie pauze tot 2027-01-10", true},
		{"one date without tot", "/reflectie pauze 2027-07-10", "/reflectie pauze 2027-07-10 2027-08-29", true},
		{"three dates", "/reflectie pauze 2027-07-10 2027-07-11 2027-07-12", "JJJJ-MM-DD", true},
		{"no date", "/reflectie pauze tot morgen", "‘morgen’ is geen datum", true},
		{"no such date", "/reflectie pauze tot 2027-02-30", "bestaat niet", true},
		{"ends before it starts", "/reflectie pauze 2027-08-29 2027-07-10", "eindigen op 10 juli 2027, vóór hij begint (29 augustus 2027)", true},
		{"over", "/reflectie pauze tot 2026-11-30", "al voorbij", true},
		{"too far", "/reflectie pauze tot 2029-01-01", "twee jaar", true},
		{"unknown rule", "/reflectie feestdagen misschien", "ken ik niet", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := startOn(t, local(2026, 12, 1, 10, 0))
			if tc.on {
				h.must("/reflectie aan")
			}
			r := h.do(tc.text)
			if r.Status != bot.Refused || !r.Ephemeral || !strings.Contains(r.Text, tc.want) {
				t.Errorf("%s = %d %q, want a private refusal with %q", tc.text, r.Status, r.Text, tc.want)
			}
		})
	}
}

// TestOverslaanHervatAndPauzeChangeWhatIsPosted follows one channel
// through a skipped Monday, an undone skip, a pause and its early end.
func TestOverslaanHervatAndPauzeChangeWhatIsPosted(t *testing.T) {
	h := startOn(t, local(2027, 5, 26, 10, 0))
	h.must("/reflectie aan")
	h.restore()
	contains(t, "overslaan", h.must("/reflectie overslaan").Text,
		"De reflectie van maandag 31 mei 2027 om 09:00 slaat dit kanaal over", "De volgende komt op maandag 7 juni 2027 om 09:00.")
	contains(t, "overslaan again", h.must("/reflectie overslaan").Text, "maandag 7 juni 2027 om 09:00 slaat", "maandag 14 juni 2027")
	contains(t, "status", h.do("/reflectie status").Text,
		"- maandag 31 mei 2027 om 09:00: overgeslagen met `/reflectie overslaan`\n- maandag 7 juni 2027 om 09:00: overgeslagen")
	h.at(local(2027, 5, 31, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d posts on the skipped Monday", n)
	}
	contains(t, "hervat", h.must("/reflectie hervat").Text, "weer volgens schema", "De volgende komt op maandag 7 juni 2027 om 09:00.")
	if r := h.do("/reflectie hervat"); r.Status != bot.Answered || !r.Ephemeral || !strings.Contains(r.Text, "niet gepauzeerd") {
		t.Errorf("hervat twice: %+v", r)
	}
	h.at(local(2027, 6, 7, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts after hervat, want the Monday of 7 June", n)
	}
	h.must("/reflectie pauze 2027-06-14 2027-06-27")
	h = h.restart()
	h.at(local(2027, 6, 14, 9, 0))
	h.at(local(2027, 6, 21, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts in the pause, want still 1", n)
	}
	h.clock.Set(local(2027, 6, 22, 10, 0))
	h.must("/reflectie hervat")
	h.at(local(2027, 6, 28, 9, 0))
	if n := h.poster.count(); n != 2 {
		t.Errorf("%d posts, want the Monday after the pause too", n)
	}
}

func TestCalendarCommandsFollowTheRulesForChangingSchedules(t *testing.T) {
	h := startOn(t, local(2027, 3, 22, 10, 0), func(c *bot.Config) { c.Admins = []string{"griffier"} })
	h.must("/reflectie aan")
	member := bot.Request{Platform: "console", Channel: "fractie", User: "U2", UserName: "raadslid"}
	for text, want := range map[string]bot.Status{
		"/reflectie pauze tot 2027-04-30":     bot.Refused,
		"/reflectie hervat":                   bot.Refused,
		"/reflectie overslaan":                bot.Refused,
		"/reflectie feestdagen negeren":       bot.Refused,
		"/reflectie feestdagen":               bot.Answered,
		"/reflectie status":                   bot.Answered,
		"/debat 2027-04-30 19:30 Koningsdag?": bot.Refused,
	} {
		if r := h.doAs(member, text); r.Status != want {
			t.Errorf("%s as a member: %d, want %d: %s", text, r.Status, want, r.Text)
		}
	}
}

func TestDebatShowsWhereAPrepCardMovedAndWhy(t *testing.T) {
	h := startOn(t, local(2027, 3, 1, 10, 0))
	contains(t, "/debat", h.must("/debat 2027-04-30 19:30 Camera's").Text,
		"De voorbereiding komt in dit kanaal op maandag 26 april 2027 om 09:00, vervroegd van dinsdag 27 april 2027: Koningsdag.")
	h.must("/debat 2027-03-30 Datalekken")
	h.must("/debat 2027-08-31 Begroting")
	contains(t, "/debat lijst", h.do("/debat lijst").Text,
		"voorbereiding op donderdag 25 maart 2027 om 09:00, vervroegd van zaterdag 27 maart 2027: weekend",
		"voorbereiding op vrijdag 9 juli 2027 om 09:00, vervroegd van zaterdag 28 augustus 2027: in het zomerreces",
		"vervroegd van dinsdag 27 april 2027: Koningsdag")
	h = startOn(t, local(2027, 3, 1, 10, 0), english)
	contains(t, "English /debat", h.must("/debat 2027-04-30 19:30 Camera's").Text, "Monday 26 April 2027 at 09:00, moved forward from Tuesday 27 April 2027: Koningsdag")
}
