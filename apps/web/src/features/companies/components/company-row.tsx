import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { RecordBadge } from '../../../components/record-badge.tsx'
import type { LocalCompany } from '../../../lib/db.ts'

/** One company in the list: the whole row is the link to its page. */
export function CompanyRow({ company }: { company: LocalCompany }) {
  const detail = [company.address, company.phone].filter(Boolean).join(' · ')
  return (
    <li className="list-row" data-testid="company-row" data-uid={company.uid}>
      <Link className="list-row__link" to={paths.company(company.uid)}>
        <span className="list-row__title" data-testid="company-name">
          {company.name}
        </span>
        {detail ? <span className="list-row__detail">{detail}</span> : null}
        <RecordBadge record={company} />
      </Link>
    </li>
  )
}
