package slack

import (
	"net/http"
	"time"

	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

// FuzzQuickKeyAgreesWithParseQuery checks the fast path against the full
// parse: whenever quickKey finds a key, url.ParseQuery accepts the body,
// and the key's command and text, decoded, are the form's first command
// and text. So two bodies with the same key ask the bot the same thing.
func FuzzQuickKeyAgreesWithParseQuery(f *testing.F) {
	for _, s := range []string{
		commandBody("/waarde", "privacy", ""),
		"command=%2Fwaarde&text=privacy",
		"text=a&command=%2Fvragen&text=b&command=%2Fwaarde",
		"command=%2Fwaarde&text=priv%acy",
		"command=%2Fwaarde;x&text=privacy",
		"ssl_check=1&token=x",
		"comm%61nd=%2Fwaarde&te%78t=x+y",
		"command=%2Fwaarde&text",
		"command&text=privacy",
		"&&command=%2Fwaarde&&",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/slack/commands", strings.NewReader(body))
		r.Header.Set("Content-Type", form)
		key, ok := quickKey(nil, r, []byte(body))
		if !ok {
			return
		}
		v, err := url.ParseQuery(body)
		if err != nil {
			t.Fatalf("quickKey found %q in a body url.ParseQuery refuses: %v", key, err)
		}
		if _, has := v["ssl_check"]; has {
			t.Fatalf("quickKey found %q in an ssl_check", key)
		}
		if _, has := v["command"]; !has {
			t.Fatalf("quickKey found %q without a command", key)
		}
		rawCommand, rawText, _ := strings.Cut(string(key), "&")
		command, err1 := url.QueryUnescape(rawCommand)
		text, err2 := url.QueryUnescape(rawText)
		if err1 != nil || err2 != nil {
			t.Fatalf("key %q does not decode: %v %v", key, err1, err2)
		}
		if command != v.Get("command") || text != v.Get("text") {
			t.Fatalf("key %q is %q %q; the form has %q %q", key, command, text, v.Get("command"), v.Get("text"))
		}
	})
}

// TestQuickKeyLeavesOtherBodiesToTheFullParse: what is not a plain form
// with a command goes the long way, where its answer is decided.
func TestQuickKeyLeavesOtherBodiesToTheFullParse(t *testing.T) {
	tests := []struct{ contentType, body string }{
		{"application/json", `{"command":"/waarde"}`},
		{form, "ssl_check=1&command=%2Fwaarde"},
		{form, "text=privacy"},
		{form, "command=%2Fwaarde&text=%zz"},
		{form, "command=%2Fwaarde&a;b=c"},
		{form, "command=%2Fwaarde" + strings.Repeat("&x=1", maxQuickFields)},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("POST", "/slack/commands", strings.NewReader(tc.body))
		r.Header.Set("Content-Type", tc.contentType)
		if key, ok := quickKey(nil, r, []byte(tc.body)); ok {
			t.Errorf("%s %.40q: key %q, want the full parse", tc.contentType, tc.body, key)
		}
	}
}

// TestAKeptAnswerIsStillSignedAndOnce: an answer the adapter keeps is
// written only behind the signature check and the replay guard, as every
// other answer.
func TestAKeptAnswerIsStillSignedAndOnce(t *testing.T) {
	now := time.Now()
	a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret}, bot.New(testKB, bot.Config{}, discardLog()), discardLog(),
		WithClock(func() time.Time { return now }))
	h := a.Handler()
	body := commandBody("/waarde", "privacy", "")
	sig := sign(testSecret, now, body)
	if rec := post(t, h, "/slack/commands", body, sig, form); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Privacy") {
		t.Fatalf("first: status %d: %s", rec.Code, rec.Body)
	}
	if n, _ := a.kept.Len(); n != 1 {
		t.Fatalf("%d answers kept, want 1", n)
	}
	if rec := post(t, h, "/slack/commands", body, sig, form); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("replayed: status %d, body %q; want an empty 200", rec.Code, rec.Body)
	}
	forged := sign("another secret", now, body)
	if rec := post(t, h, "/slack/commands", body, forged, form); rec.Code != http.StatusUnauthorized {
		t.Errorf("forged: status %d, want 401", rec.Code)
	}
}

// TestAKeptLookupAllocatesAtMostTenTimes holds issue 18's bound: a signed
// lookup asked before is answered by the adapter and the bot with at most
// 10 allocations (today none). It counts allocations, not time.
func TestAKeptLookupAllocatesAtMostTenTimes(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates for itself")
	}
	s := newSignedStream("privacy")
	a := New(Config{Mode: "http", BotToken: "xoxb-test", SigningSecret: testSecret}, newBenchBot(), discardLog(),
		WithClock(s.clock))
	h := a.Handler()
	w := newQuietWriter()
	s.fill()
	reqs := make([]*http.Request, 200)
	for i := range reqs {
		reqs[i] = s.newRequest(i)
	}
	next := 0
	serve := func() {
		w.reset()
		s.now = s.times[next]
		h.ServeHTTP(w, reqs[next])
		next++
		if w.code != http.StatusOK || !strings.Contains(string(w.body), "Privacy") {
			t.Fatalf("status %d: %s", w.code, w.body)
		}
	}
	serve() // the first asking makes and keeps the answer
	if n := testing.AllocsPerRun(len(reqs)-2, serve); n > 10 {
		t.Errorf("%.1f allocations per kept lookup, want at most 10", n)
	}
}
