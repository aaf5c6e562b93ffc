// Package api holds the wire types that the server writes and the client
// reads, where both sides need the same shape (openapi.yaml beside this file
// is the contract; apierr holds the error codes).
package api

import "time"

// AccountInfo is the logged-in account as the Sync Status screen shows it.
type AccountInfo struct {
	Username    string `json:"username"`
	Email       string `json:"email"`
	DisplayName string `json:"displayName"`
	Company     string `json:"company"`
}

// DatasetInfo describes one dataset on the server.
type DatasetInfo struct {
	Name      string    `json:"name"` // customers, products, price-list
	Title     string    `json:"title"`
	Records   int       `json:"records"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// SyncStatus is the answer of GET /sync/status.
type SyncStatus struct {
	Account    AccountInfo   `json:"account"`
	ServerTime time.Time     `json:"serverTime"`
	Datasets   []DatasetInfo `json:"datasets"`
}
