import { defineOneToMany, text } from './declaration.ts'

/** The app's data: a company has many contacts. Limits here are the single source for forms and server. */
export const companiesContacts = defineOneToMany({
  parent: {
    name: 'company',
    plural: 'companies',
    table: 'Company',
    fields: {
      name: text('Name', 200, { required: true }),
      address: text('Address', 500),
      phone: text('Phone', 50, { format: 'phone' }),
      email: text('Email', 320, { format: 'email' }),
      website: text('Website', 2000, { format: 'url' }),
    },
  },
  child: {
    name: 'contact',
    plural: 'contacts',
    table: 'Contact',
    parentKey: 'companyId',
    fields: {
      name: text('Name', 200, { required: true }),
      jobTitle: text('Job title', 200),
      email: text('Email', 320, { format: 'email' }),
      phone: text('Phone', 50, { format: 'phone' }),
    },
  },
})

export type CompaniesContacts = typeof companiesContacts
