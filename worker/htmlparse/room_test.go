package htmlparse

import (
	"errors"
	"testing"
)

// fakeRoom holds up to most nodes; grows records what it was asked.
type fakeRoom struct {
	held, most int
	grows      []int
	released   bool
}

func (r *fakeRoom) Grow(nodes int) bool {
	r.grows = append(r.grows, nodes)
	if nodes > r.most {
		return false
	}
	r.held = max(r.held, nodes)
	return true
}

func (r *fakeRoom) Release() { r.released = true }

func TestParseGrowsItsRoomAheadOfTheTree(t *testing.T) {
	page := []byte(repeat("<p>word</p>", 20_000)) // 40,000 nodes and a few
	room := &fakeRoom{most: 1 << 30}
	doc, err := Default.Parse(page, room)
	if err != nil {
		t.Fatal(err)
	}
	nodes, _ := treeSize(doc)
	if room.held < nodes {
		t.Fatalf("room grown to %d nodes, the tree has %d", room.held, nodes)
	}
	if len(room.grows) > 12 {
		t.Fatalf("room asked to grow %d times for %d nodes (%v): want a few larger steps", len(room.grows), nodes, room.grows)
	}
	for i := 1; i < len(room.grows); i++ {
		if room.grows[i] <= room.grows[i-1] {
			t.Fatalf("growth asked for %v: want each ask larger", room.grows)
		}
	}
}

func TestParseStopsWhenItsRoomCannotGrow(t *testing.T) {
	page := []byte(repeat("<p>word</p>", 20_000))
	room := &fakeRoom{most: 10_000}
	if _, err := Default.Parse(page, room); !errors.Is(err, ErrNoRoom) {
		t.Fatalf("Parse in a room of 10,000 nodes = %v, want ErrNoRoom", err)
	}
	if room.held > 10_000 {
		t.Fatalf("room holds %d nodes, more than it had", room.held)
	}
}

// admissions records Within's calls to its Admit.
type admissions struct {
	rooms []*fakeRoom
	asked []int
	most  int // what each room can grow to
}

func (a *admissions) admit(nodes, size int) (Room, error) {
	r := &fakeRoom{held: nodes, most: max(nodes, a.most)}
	a.rooms = append(a.rooms, r)
	a.asked = append(a.asked, nodes)
	return r, nil
}

func TestWithinParsesAgainInTheWholeBudgetWhenTheRoomCannotGrow(t *testing.T) {
	page := []byte(repeat("<p>word</p>", 20_000)) // 220 kB, guessed 9,166 nodes
	tests := []struct {
		name      string
		most      int
		admitted  []int
		wantError error
	}{
		{"room grows", 1 << 30, []int{Default.guess(len(page))}, nil},
		{"room cannot grow", 0, []int{Default.guess(len(page)), Default.NodesFor(len(page))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &admissions{most: tt.most}
			parses := 0
			release, err := Default.Within(len(page), a.admit, func(room Room) error {
				parses++
				_, err := Default.Parse(page, room)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(a.asked) != len(tt.admitted) || a.asked[0] != tt.admitted[0] || a.asked[len(a.asked)-1] != tt.admitted[len(tt.admitted)-1] {
				t.Fatalf("admitted %v nodes, want %v", a.asked, tt.admitted)
			}
			if parses != len(tt.admitted) {
				t.Fatalf("%d parses, want %d", parses, len(tt.admitted))
			}
			for _, r := range a.rooms[:len(a.rooms)-1] {
				if !r.released {
					t.Fatal("the room that could not grow was not released before waiting for another")
				}
			}
			last := a.rooms[len(a.rooms)-1]
			if last.released {
				t.Fatal("the room of the tree was released before the caller was done")
			}
			release()
			if !last.released {
				t.Fatal("release did not release the room")
			}
		})
	}
}

func TestWithinReleasesTheRoomOfARefusedPage(t *testing.T) {
	page := []byte(repeat("<p><i>x", 100_000))
	a := &admissions{most: 1 << 30}
	_, err := Default.Within(len(page), a.admit, func(room Room) error {
		_, err := Default.Parse(page, room)
		return err
	})
	if !errors.Is(err, ErrTooComplex) {
		t.Fatalf("Within = %v, want ErrTooComplex", err)
	}
	for _, r := range a.rooms {
		if !r.released {
			t.Fatal("the room of a refused page was kept")
		}
	}
}

func TestWithinWithoutAdmitParsesWithNoRoom(t *testing.T) {
	called := false
	release, err := Default.Within(10, nil, func(room Room) error {
		called = true
		if room != nil {
			t.Error("parse given a room with no admit")
		}
		return nil
	})
	if err != nil || !called {
		t.Fatalf("Within = %v (parse called: %v)", err, called)
	}
	release()
}
