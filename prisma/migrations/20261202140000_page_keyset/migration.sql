-- Paged full sync (docs/sync-protocol.md rule G3, decision 020): companies are read page by page in list order,
-- a keyset on (left(name, 64), id) at a snapshot cursor. The key is 64 characters of the name so that the page
-- token can carry it; this index serves exactly that expression. Prisma does not model expression indexes (its
-- diff leaves them alone), so this migration is their only definition. Contacts page by id (their primary key).
CREATE INDEX "Company_page_keyset_idx" ON "Company" ((left("name", 64)), "id");
