# One INTERFACE target carries the language standard, warnings and Qt's strictness
# macros; every hookscope target links it instead of setting flags of its own.
add_library(hookscope_config INTERFACE)
add_library(hookscope::config ALIAS hookscope_config)

target_compile_features(hookscope_config INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_options(hookscope_config INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor
    $<$<BOOL:${HOOKSCOPE_WERROR}>:-Werror>)

target_compile_definitions(hookscope_config INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    HOOKSCOPE_VERSION="${PROJECT_VERSION}")

if(HOOKSCOPE_SANITIZE)
    target_compile_options(hookscope_config INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(hookscope_config INTERFACE -fsanitize=address,undefined)
endif()
