/**
 * Every in-app URL, built in one place. Records are addressed by `uid`: a new record's `id` changes when it
 * first syncs, its uid never does, so a bookmarked or open page survives the sync.
 */
const seg = encodeURIComponent

export const paths = {
  home: () => '/',
  newCompany: () => '/companies/new',
  company: (uid: string) => `/companies/${seg(uid)}`,
  editCompany: (uid: string) => `/companies/${seg(uid)}/edit`,
  newContact: (companyUid: string) => `/companies/${seg(companyUid)}/contacts/new`,
  editContact: (uid: string) => `/contacts/${seg(uid)}/edit`,
  attention: () => '/attention',
  history: () => '/history',
  historyEntry: (seq: number) => `/history/${seq}`,
  device: () => '/device',
  settings: () => '/settings',
  people: () => '/people',
  search: () => '/search',
  exportData: () => '/export',
  importData: () => '/import',
} as const

/** The route patterns matching `paths`, literal routes first. */
export const routePatterns = {
  home: '/',
  newCompany: '/companies/new',
  company: '/companies/:uid',
  editCompany: '/companies/:uid/edit',
  newContact: '/companies/:uid/contacts/new',
  editContact: '/contacts/:uid/edit',
  attention: '/attention',
  history: '/history',
  historyEntry: '/history/:seq',
  device: '/device',
  settings: '/settings',
  people: '/people',
  search: '/search',
  exportData: '/export',
  importData: '/import',
} as const
