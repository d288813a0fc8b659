package mattermost

import (
	"net/http"
	"strconv"

	"github.com/mattermost/mattermost/server/public/model"
)

// fakeRoster is what the fake server knows about a channel's people: its
// members (users, some of them bots), whether the bot may count users
// without bots, and who is online.
type fakeRoster struct {
	users      []*model.User
	countHuman bool              // GET /users/stats/filtered is allowed (system admin)
	online     map[string]bool   // GET /users/{id}/status says online
	calls      map[string]int    // route → calls
	lastFilter map[string]string // the query of the last filtered count
}

// rosterRoutes serves the member counts, member lists and statuses.
func (f *fakeMattermost) rosterRoutes(mux *http.ServeMux) {
	count := func(route string) {
		if f.roster.calls == nil {
			f.roster.calls = map[string]int{}
		}
		f.roster.calls[route]++
	}
	mux.HandleFunc("GET /api/v4/users/stats/filtered", f.authed(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		count("stats/filtered")
		if !f.roster.countHuman {
			appError(w, http.StatusForbidden, "You do not have the appropriate permissions.")
			return
		}
		q := r.URL.Query()
		f.roster.lastFilter = map[string]string{"in_channel": q.Get("in_channel"), "include_bots": q.Get("include_bots"), "include_deleted": q.Get("include_deleted")}
		n := 0
		for _, u := range f.roster.users {
			if (!u.IsBot || q.Get("include_bots") == "true") && u.DeleteAt == 0 {
				n++
			}
		}
		writeJSON(w, &model.UsersStats{TotalUsersCount: int64(n)})
	}))
	mux.HandleFunc("GET /api/v4/channels/{id}/stats", f.authed(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		count("channel stats")
		n := 0
		for _, u := range f.roster.users {
			if u.DeleteAt == 0 {
				n++
			}
		}
		writeJSON(w, &model.ChannelStats{ChannelId: r.PathValue("id"), MemberCount: int64(n)})
	}))
	mux.HandleFunc("GET /api/v4/users", f.authed(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		count("users in channel")
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		start, end := min(page*per, len(f.roster.users)), min((page+1)*per, len(f.roster.users))
		writeJSON(w, f.roster.users[start:end])
	}))
	mux.HandleFunc("GET /api/v4/users/{id}/status", f.authed(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		st := model.StatusOffline
		if f.roster.online[r.PathValue("id")] {
			st = model.StatusOnline
		}
		writeJSON(w, &model.Status{UserId: r.PathValue("id"), Status: st})
	}))
}

// rosterCalls is how often a route of the roster was asked.
func (f *fakeMattermost) rosterCalls(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.roster.calls[route]
}
