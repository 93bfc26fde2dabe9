// schema.org JSON-LD for an offer page, so that search engines understand it: a Course with its
// CourseInstances for language courses, a Service otherwise; provider, places, prices, area served.
import type { PortalOfferQuery } from '@pakt-bw/sdk';

type Offer = NonNullable<PortalOfferQuery['offer']>;

export function offerJsonLd(offer: Offer, url: string): Record<string, unknown> {
  const provider = {
    '@type': 'Organization',
    name: offer.provider.name,
    ...(offer.provider.website ? { url: offer.provider.website } : {}),
    ...(offer.provider.phone ? { telephone: offer.provider.phone } : {}),
    ...(offer.provider.email ? { email: offer.provider.email } : {}),
  };
  const places = offer.locations.map((l) => ({
    '@type': 'Place',
    name: l.name,
    address: {
      '@type': 'PostalAddress',
      streetAddress: l.street ?? undefined,
      postalCode: l.postalCode ?? undefined,
      addressLocality: l.city ?? l.municipality.name,
      addressCountry: 'DE',
    },
    geo: { '@type': 'GeoCoordinates', latitude: l.latitude, longitude: l.longitude },
  }));
  const offers =
    offer.isFree && offer.costOptions.length === 0
      ? [{ '@type': 'Offer', price: '0', priceCurrency: 'EUR' }]
      : offer.costOptions.map((o) => ({
          '@type': 'Offer',
          price: o.price.amount,
          priceCurrency: o.price.currency,
          ...(o.covers ? { description: o.covers } : {}),
        }));
  const common = {
    '@context': 'https://schema.org',
    '@id': url,
    url,
    name: offer.title.value,
    inLanguage: offer.title.language,
    ...(offer.description ? { description: offer.description.value } : {}),
    provider,
    ...(offers.length > 0 ? { offers } : {}),
    areaServed: [offer.municipality, ...offer.serviceArea].map((m) => ({ '@type': 'AdministrativeArea', name: m.name, identifier: m.ags })),
  };
  if (offer.category === 'LANGUAGE_COURSE') {
    return {
      ...common,
      '@type': 'Course',
      ...(offer.courseDetails?.cefrTo ? { educationalLevel: offer.courseDetails.cefrTo } : {}),
      availableLanguage: offer.languages.map((l) => l.code),
      hasCourseInstance: offer.upcoming.map((slot) => ({
        '@type': 'CourseInstance',
        startDate: slot.startsAt,
        ...(slot.endsAt ? { endDate: slot.endsAt } : {}),
        courseMode: offer.modality === 'ONLINE' ? 'online' : offer.modality === 'HYBRID' ? 'blended' : 'onsite',
        ...(slot.capacity != null ? { maximumAttendeeCapacity: slot.capacity } : {}),
        ...(slot.seatsAvailable != null ? { remainingAttendeeCapacity: slot.seatsAvailable } : {}),
        ...(places[0] ? { location: places[0] } : {}),
      })),
    };
  }
  return {
    ...common,
    '@type': 'Service',
    serviceType: offer.categoryName.value,
    availableChannel: places.map((place) => ({ '@type': 'ServiceChannel', serviceLocation: place })),
  };
}

/** Puts the JSON-LD into the page's head (a data block: the CSP's script-src does not apply). */
export function setJsonLd(data: Record<string, unknown>): void {
  let script = document.getElementById('offer-json-ld') as HTMLScriptElement | null;
  if (!script) {
    script = document.createElement('script');
    script.type = 'application/ld+json';
    script.id = 'offer-json-ld';
    document.head.append(script);
  }
  // "<" escaped: a text like "</script>" can never end the block.
  script.textContent = JSON.stringify(data).replace(/</g, '\\u003c');
}
