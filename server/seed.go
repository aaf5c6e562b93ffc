package server

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// DemoAccount is an account Seed creates, for demos and for tests.
type DemoAccount struct {
	Username string
	Email    string
	Password string
	Note     string
	// DisplayName and Company are shown on the Sync Status screen.
	DisplayName string
	Company     string
}

// DemoAccounts are the accounts Seed creates. [0] and [2] have an email
// username (the reset flow works for them); [1] does not (lookup answers
// apierr.UsernameNotEmail). Tests that change a password should use their own
// fresh database, since these passwords are fixed.
var DemoAccounts = []DemoAccount{
	{
		Username: "alex.morgan@example.com", Email: "alex.morgan@example.com", Password: "Harbor-Lantern-58-Quiet",
		Note: "email username: the whole reset flow works", DisplayName: "Alex Morgan", Company: "Northwind Foods Ltd",
	},
	{
		Username: "jsmith", Email: "john.smith@example.com", Password: "Copper-Meadow-Sky-19",
		Note: "username is not an email: password reset is refused (ask the admin)", DisplayName: "John Smith", Company: "Northwind Foods Ltd",
	},
	{
		Username: "priya.shah@example.com", Email: "priya.shah@example.com", Password: "Violet-Canyon-River-73",
		Note: "second email username, for a second device or test", DisplayName: "Priya Shah", Company: "Northwind Foods Ltd",
	},
}

// Seed creates the demo accounts and the demo datasets. It is idempotent:
// existing accounts and datasets are left as they are (a changed demo
// password stays changed).
func (s *Server) Seed(ctx context.Context) error {
	now := s.now()
	for _, d := range DemoAccounts {
		var exists int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE username_key = ?`, usernameKey(d.Username)).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			continue
		}
		hash, err := s.demoHash(ctx, normalizePassword(d.Password))
		if err != nil {
			return err
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO accounts(username, username_key, email, display_name, company, password_hash, password_changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, d.Username, usernameKey(d.Username), d.Email, d.DisplayName, d.Company, hash, millis(now)); err != nil {
			return fmt.Errorf("seed %s: %w", d.Username, err)
		}
	}
	return inTx(ctx, s.db, func(tx *dbTx) error {
		for _, ds := range demoDatasets(now) {
			records, err := json.Marshal(ds.records)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO datasets(name, title, version, updated_at, records, count)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, ds.name, ds.title, ds.version, millis(ds.updatedAt), string(records), len(ds.records)); err != nil {
				return err
			}
		}
		return nil
	})
}

// demoHashes holds the hash made for each demo password: the passwords are
// public, and the embedded demo backend and the tests seed many databases in
// one process, each seed otherwise paying three argon2id hashes.
var demoHashes sync.Map // password -> PHC string

func (s *Server) demoHash(ctx context.Context, password string) (string, error) {
	if h, ok := demoHashes.Load(password); ok {
		return h.(string), nil
	}
	h, err := s.hasher.hash(ctx, password)
	if err == nil {
		demoHashes.Store(password, h)
	}
	return h, err
}

type demoDataset struct {
	name, title string
	version     int64
	updatedAt   time.Time
	records     []any
}

// demoDatasets generates the demo data deterministically (fixed seed), so
// every install and every test sees the same records.
func demoDatasets(now time.Time) []demoDataset {
	rng := rand.New(rand.NewPCG(20260101, 42))
	products, prices := demoProducts(rng, 120)
	base := now.UTC().Truncate(time.Minute)
	return []demoDataset{
		{"customers", "Customers", 7, base.Add(-3 * time.Hour), demoCustomers(rng, 200)},
		{"products", "Products", 4, base.Add(-26 * time.Hour), products},
		{"price-list", "Price list", 12, base.Add(-50 * time.Minute), prices},
	}
}

var (
	companyFirst = []string{
		"Harbor", "Northgate", "Bluewater", "Summit", "Riverside", "Oak Hill", "Maple", "Golden Gate", "Silver Lake", "Cedar",
		"Pinecrest", "Lakeside", "Highland", "Westfield", "Brookside", "Stonebridge", "Fairview", "Redwood", "Sunrise", "Meadowbrook",
	}
	companySecond = []string{"Foods", "Grocers", "Market", "Deli", "Provisions", "Trading", "Wholesale", "Catering", "Bistro", "Pantry"}
	companySuffix = []string{"Ltd", "Inc", "LLC", "& Co", "Group"}
	firstNames    = []string{
		"Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "James", "Amelia", "Mateo",
		"Chloe", "Daniel", "Grace", "Samuel", "Zoe", "Omar", "Hannah", "Leo", "Aisha", "Ben", "Clara", "Diego",
	}
	lastNames = []string{
		"Smith", "Garcia", "Nguyen", "Johnson", "Brown", "Martin", "Lee", "Walker", "Lopez", "Clark", "Patel", "Wright",
		"Kim", "Hughes", "Rossi", "Murphy", "Schmidt", "Silva", "Cohen", "Novak",
	}
	cities = []struct{ city, region, country, phone string }{
		{"Leeds", "West Yorkshire", "GB", "+44 113 496 0"},
		{"Manchester", "Greater Manchester", "GB", "+44 161 496 0"},
		{"Bristol", "Bristol", "GB", "+44 117 496 0"},
		{"Dublin", "Leinster", "IE", "+353 1 555 0"},
		{"Austin", "TX", "US", "+1 512 555 0"},
		{"Denver", "CO", "US", "+1 303 555 0"},
		{"Portland", "OR", "US", "+1 503 555 0"},
		{"Toronto", "ON", "CA", "+1 416 555 0"},
		{"Sydney", "NSW", "AU", "+61 2 5550 0"},
		{"Auckland", "Auckland", "NZ", "+64 9 555 0"},
	}
	streets    = []string{"Mill Street", "High Street", "Station Road", "Main Street", "Church Lane", "Park Avenue", "Market Square", "Queen Street", "Harbour Road", "Elm Grove"}
	categories = []struct {
		name  string
		items []string
		unit  string
		price [2]float64
	}{
		{"Beverages", []string{"Sparkling Water", "Orange Juice", "Cold Brew Coffee", "Green Tea", "Lemonade", "Ginger Beer"}, "case of 24", [2]float64{12, 38}},
		{"Pantry", []string{"Extra Virgin Olive Oil", "Basmati Rice", "Penne Pasta", "Tomato Passata", "Chickpeas", "Sea Salt"}, "case of 12", [2]float64{9, 64}},
		{"Dairy", []string{"Greek Yoghurt", "Cheddar Block", "Unsalted Butter", "Whole Milk", "Mozzarella", "Cream Cheese"}, "tray of 6", [2]float64{8, 45}},
		{"Bakery", []string{"Sourdough Loaf", "Croissants", "Bagels", "Rye Bread", "Pita Bread", "Brioche Buns"}, "crate of 10", [2]float64{6, 30}},
		{"Snacks", []string{"Sea Salt Crisps", "Dark Chocolate Bar", "Mixed Nuts", "Oat Bars", "Pretzels", "Rice Crackers"}, "box of 20", [2]float64{10, 52}},
		{"Frozen", []string{"Garden Peas", "Berry Mix", "Vanilla Ice Cream", "Fish Fillets", "Veggie Burgers", "Pizza Bases"}, "case of 8", [2]float64{14, 70}},
	}
	sizes = []string{"250 g", "500 g", "1 kg", "330 ml", "500 ml", "1 l", "2 kg", "750 ml"}
)

func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

func round2(f float64) float64 { return math.Round(f*100) / 100 }

func demoCustomers(rng *rand.Rand, n int) []any {
	out := make([]any, 0, n)
	for i := 1; i <= n; i++ {
		name := pick(rng, companyFirst) + " " + pick(rng, companySecond) + " " + pick(rng, companySuffix)
		first, last := pick(rng, firstNames), pick(rng, lastNames)
		place := pick(rng, cities)
		domain := strings.ToLower(strings.NewReplacer(" ", "", "&", "").Replace(strings.Fields(name)[0]+strings.Fields(name)[1])) + ".example"
		credit := float64(1000 * (1 + rng.IntN(25)))
		out = append(out, map[string]any{
			"id":          fmt.Sprintf("C%04d", i),
			"name":        name,
			"contact":     first + " " + last,
			"email":       strings.ToLower(first) + "." + strings.ToLower(last) + "@" + domain,
			"phone":       fmt.Sprintf("%s%03d", place.phone, rng.IntN(1000)),
			"address":     fmt.Sprintf("%d %s", 1+rng.IntN(240), pick(rng, streets)),
			"city":        place.city,
			"region":      place.region,
			"country":     place.country,
			"creditLimit": credit,
			"balance":     round2(rng.Float64() * credit * 0.8),
			"active":      rng.IntN(10) != 0,
		})
	}
	return out
}

func demoProducts(rng *rand.Rand, n int) (products, prices []any) {
	for i := 1; i <= n; i++ {
		cat := categories[(i-1)%len(categories)]
		sku := fmt.Sprintf("P-%05d", 10000+i)
		name := pick(rng, cat.items) + " " + pick(rng, sizes)
		price := round2(cat.price[0] + rng.Float64()*(cat.price[1]-cat.price[0]))
		products = append(products, map[string]any{
			"sku":      sku,
			"name":     name,
			"category": cat.name,
			"unit":     cat.unit,
			"barcode":  ean13(rng),
			"stock":    rng.IntN(900),
			"active":   rng.IntN(12) != 0,
		})
		prices = append(prices, map[string]any{
			"sku":         sku,
			"priceList":   "Standard 2026",
			"currency":    "USD",
			"unitPrice":   price,
			"minQuantity": 1 + rng.IntN(3),
			"discountPct": []int{0, 0, 0, 5, 10, 15}[rng.IntN(6)],
			"taxRate":     []float64{0, 5, 10, 20}[rng.IntN(4)],
			"validFrom":   "2026-01-01",
		})
	}
	return products, prices
}

// ean13 returns a random EAN-13 with a correct check digit.
func ean13(rng *rand.Rand) string {
	d := make([]byte, 13)
	sum := 0
	for i := 0; i < 12; i++ {
		v := rng.IntN(10)
		if i == 0 {
			v = 5 // a plausible GS1 prefix
		}
		d[i] = byte('0' + v)
		if i%2 == 0 {
			sum += v
		} else {
			sum += 3 * v
		}
	}
	d[12] = byte('0' + (10-sum%10)%10)
	return string(d)
}
