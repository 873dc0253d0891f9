-- A camera deleted with "keep its footage": it stops, leaves the camera list and the grid, gives up
-- its stream key and serial number, and its row stays (with its recordings, events and bookmarks) so
-- the footage can still be played and exported until retention ages it out; the hourly upkeep then
-- deletes the row. NULL: a camera in service.
ALTER TABLE camera ADD COLUMN removed_at_ms INTEGER;
