import type { AnchorHTMLAttributes, MouseEvent } from 'react'
import { navigate } from './history.ts'

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string
  replace?: boolean
}

/** A real `<a href>` (so it opens in a new tab, and reads as a link) that navigates in-app on a plain click. */
export function Link({ to, replace, onClick, target, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event)
    const plainClick =
      event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
    if (event.defaultPrevented || !plainClick || (target && target !== '_self')) return
    event.preventDefault()
    navigate(to, { replace })
  }
  return <a href={to} target={target} onClick={handleClick} {...rest} />
}
