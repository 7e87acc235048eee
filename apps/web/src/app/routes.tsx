import { lazy, Suspense, type ReactNode } from 'react'
import { matchRoute, type RouteParams } from '../lib/router/index.ts'
import { routePatterns } from '../config/paths.ts'
import { NotFound } from '../components/not-found.tsx'
import { CompanyListPage } from '../features/companies/components/company-list-page.tsx'
import { CompanyPage } from '../features/companies/components/company-page.tsx'
import { ContactList } from '../features/contacts/components/contact-list.tsx'
import { SearchView } from '../features/search/components/search-view.tsx'
// Eager: a few KB, and the history is a screen people open straight from the header (and audit for speed).
import { JournalPage } from '../features/journal/components/journal-page.tsx'

// Forms and the attention list are not on the first screen: load them on demand (they are precached for offline).
const CompanyFormPage = lazy(() =>
  import('../features/companies/components/company-form-page.tsx').then((m) => ({
    default: m.CompanyFormPage,
  })),
)
const NewContactPage = lazy(() =>
  import('../features/contacts/components/contact-form-page.tsx').then((m) => ({
    default: m.NewContactPage,
  })),
)
const EditContactPage = lazy(() =>
  import('../features/contacts/components/contact-form-page.tsx').then((m) => ({
    default: m.EditContactPage,
  })),
)
const AttentionPage = lazy(() =>
  import('../features/sync/components/attention-page.tsx').then((m) => ({ default: m.AttentionPage })),
)

const DevicePage = lazy(() =>
  import('../features/device/components/device-page.tsx').then((m) => ({ default: m.DevicePage })),
)

const SettingsPage = lazy(() =>
  import('../features/settings/components/settings-page.tsx').then((m) => ({ default: m.SettingsPage })),
)

const JournalEntryPage = lazy(() =>
  import('../features/journal/components/journal-entry-page.tsx').then((m) => ({
    default: m.JournalEntryPage,
  })),
)

const PeoplePage = lazy(() =>
  import('../features/people/components/people-page.tsx').then((m) => ({ default: m.PeoplePage })),
)

const SearchPage = lazy(() =>
  import('../features/search/components/search-page.tsx').then((m) => ({ default: m.SearchPage })),
)

// Export and import: rarely opened, and papaparse is only needed there.
const ExportPage = lazy(() =>
  import('../features/export/components/export-page.tsx').then((m) => ({ default: m.ExportPage })),
)
const ImportPage = lazy(() =>
  import('../features/import/components/import-page.tsx').then((m) => ({ default: m.ImportPage })),
)
const CompanyVCardButton = lazy(() =>
  import('../features/export/components/vcard-buttons.tsx').then((m) => ({ default: m.CompanyVCardButton })),
)
const ContactVCardChip = lazy(() =>
  import('../features/export/components/vcard-buttons.tsx').then((m) => ({ default: m.ContactVCardChip })),
)

interface Route {
  path: string
  render: (params: RouteParams) => ReactNode
}

/** Literal routes before parameterised ones: the first match wins. */
export const routes: Route[] = [
  {
    path: routePatterns.home,
    render: () => <CompanyListPage searchResults={(query) => <SearchView query={query} />} />,
  },
  { path: routePatterns.newCompany, render: () => <CompanyFormPage /> },
  {
    path: routePatterns.company,
    render: ({ uid = '' }) => (
      <CompanyPage
        uid={uid}
        contacts={(company) => (
          <ContactList
            company={company}
            contactActions={(contact) => (
              <Suspense fallback={null}>
                <ContactVCardChip contact={contact} />
              </Suspense>
            )}
          />
        )}
        exportContacts={(company) => (
          <Suspense fallback={null}>
            <CompanyVCardButton company={company} />
          </Suspense>
        )}
      />
    ),
  },
  { path: routePatterns.editCompany, render: ({ uid = '' }) => <CompanyFormPage uid={uid} /> },
  { path: routePatterns.newContact, render: ({ uid = '' }) => <NewContactPage companyUid={uid} /> },
  { path: routePatterns.editContact, render: ({ uid = '' }) => <EditContactPage uid={uid} /> },
  { path: routePatterns.attention, render: () => <AttentionPage /> },
  { path: routePatterns.history, render: () => <JournalPage /> },
  { path: routePatterns.historyEntry, render: ({ seq = '' }) => <JournalEntryPage seq={seq} /> },
  { path: routePatterns.device, render: () => <DevicePage /> },
  { path: routePatterns.settings, render: () => <SettingsPage /> },
  { path: routePatterns.people, render: () => <PeoplePage /> },
  { path: routePatterns.search, render: () => <SearchPage /> },
  { path: routePatterns.exportData, render: () => <ExportPage /> },
  { path: routePatterns.importData, render: () => <ImportPage /> },
]

/** Renders the screen for a pathname. Keyed by pathname so a screen's state never leaks into the next one. */
export function AppRoutes({ pathname }: { pathname: string }) {
  const match = matchRoute(routes, pathname)
  return (
    <Suspense fallback={<p className="loading">Loading…</p>}>
      <div key={pathname} className="page">
        {match ? match.route.render(match.params) : <NotFound />}
      </div>
    </Suspense>
  )
}
